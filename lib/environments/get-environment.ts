import type { Actor } from "../access/actor";
import { environmentRole } from "../access/decide";
import { environmentTypeSchema } from "../access/roles";
import type { Db } from "../db/client";
import { parseStoredConfig } from "../deployments/deployment-config";
import { notFound } from "../errors";
import { getEnvironmentAccess } from "./get-environment-access";

/**
 * An environment as its member sees it: its current operations, each with
 * whether the member may run it and, if not, why (from the access rule).
 * One statement: the environment, project, membership, current deployment and
 * newest attempt are read together.
 */
export async function getEnvironment(db: Db, actor: Actor, projectSlug: string, envName: string) {
  const loaded = await getEnvironmentAccess(
    db,
    actor,
    { projectSlug, environmentName: envName },
    { deployment: true, lastAttempt: true },
  );
  if (!loaded) throw notFound("environment");
  const { environment: env, project, deployment, lastAttempt, access } = loaded;
  const environmentType = environmentTypeSchema.parse(env.type);
  if (!access.can({ kind: "view-environment", environmentType }).allowed) throw notFound("environment");
  const member = access.member;
  const role = member ? environmentRole(member, environmentType) : null;

  const config = parseStoredConfig(deployment?.config ?? null);
  const operations = config.operations.map((op) => {
    const decision = access.can({ kind: "run-operation", environmentType, operationRole: op.role });
    const paused = env.status !== "active";
    return {
      ...op,
      allowed: decision.allowed && !paused,
      reason: !decision.allowed ? decision.reason : paused ? "environment is paused" : null,
    };
  });
  return {
    project,
    environment: env,
    role,
    canAdmin: access.can({ kind: "admin-project" }).allowed,
    operations,
    deployedAt: deployment?.createdAt ?? null,
    /** Keys set twice in the current deployment's config (it loaded, last one winning). */
    warnings: config.warnings,
    failedDeploy:
      lastAttempt && !lastAttempt.ok ? { at: lastAttempt.createdAt, error: lastAttempt.error } : null,
  };
}
