import type { Actor } from "../access/actor";
import { authorize } from "../access/authorize";
import { decide, environmentRole } from "../access/decide";
import { loadMemberRoles } from "../access/authorize";
import { environmentTypeSchema } from "../access/roles";
import type { Db } from "../db/client";
import { parseStoredConfig } from "../deployments/deployment-config";
import { notFound } from "../errors";

/**
 * An environment as its member sees it: its current operations, each with
 * whether the member may run it and, if not, why (from the access rule).
 */
export async function getEnvironment(db: Db, actor: Actor, projectSlug: string, envName: string) {
  const project = await db.project.findUnique({ where: { slug: projectSlug } });
  if (!project) throw notFound("environment");
  const env = await db.environment.findUnique({
    where: { projectId_name: { projectId: project.id, name: envName } },
    include: { currentDeployment: true },
  });
  if (!env || env.deletedAt) throw notFound("environment");
  const environmentType = environmentTypeSchema.parse(env.type);
  const view = await authorize(db, actor, project.id, { kind: "view-environment", environmentType });
  if (!view.allowed) throw notFound("environment");
  const member = await loadMemberRoles(db, actor.userId, project.id);
  const role = member ? environmentRole(member, environmentType) : null;

  const config = parseStoredConfig(env.currentDeployment?.config ?? null);
  const operations = config.operations.map((op) => {
    const decision = decide(member, { kind: "run-operation", environmentType, operationRole: op.role });
    const paused = env.status !== "active";
    return {
      ...op,
      allowed: decision.allowed && !paused,
      reason: !decision.allowed ? decision.reason : paused ? "environment is paused" : null,
    };
  });
  const lastAttempt = await db.deployment.findFirst({
    where: { environmentId: env.id },
    orderBy: { createdAt: "desc" },
  });
  return {
    project,
    environment: env,
    role,
    canAdmin: member?.projectRole === "admin",
    operations,
    deployedAt: env.currentDeployment?.createdAt ?? null,
    failedDeploy:
      lastAttempt && !lastAttempt.ok ? { at: lastAttempt.createdAt, error: lastAttempt.error } : null,
  };
}
