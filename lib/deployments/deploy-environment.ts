import path from "node:path";
import { readConfig } from "../config/read-config";
import { resolveInsideTarget } from "../executor/inside-target";
import { formatConfigIssue } from "../config/types";
import type { ParsedConfig } from "../config/types";
import type { Db } from "../db/client";
import { notFound } from "../errors";
import { newId } from "../ids";

export type DeployResult =
  | { ok: true; deploymentId: string; config: ParsedConfig }
  | { ok: false; deploymentId: string; error: string };

/**
 * Reads the environment's config from its target into a new Deployment. An
 * invalid config is recorded as a failed attempt and the current deployment
 * stays as it was: operations always come from the last good snapshot.
 */
export async function deployEnvironment(
  db: Db,
  environmentId: string,
  byUserId: string | null,
): Promise<DeployResult> {
  const env = await db.environment.findUnique({ where: { id: environmentId } });
  if (!env) throw notFound("environment");
  const result = await readConfig(env.targetPath);
  const id = newId();
  const escapes = result.ok ? await appsOutsideTarget(env.targetPath, result.config) : [];
  if (!result.ok || escapes.length > 0) {
    const error = result.ok ? escapes.join("\n") : result.issues.map(formatConfigIssue).join("\n");
    await db.deployment.create({
      data: { id, environmentId, ok: false, error, createdById: byUserId },
    });
    return { ok: false, deploymentId: id, error };
  }
  await db.$transaction([
    db.deployment.create({
      data: { id, environmentId, ok: true, config: JSON.stringify(result.config), createdById: byUserId },
    }),
    db.environment.update({ where: { id: environmentId }, data: { currentDeploymentId: id } }),
  ]);
  return { ok: true, deploymentId: id, config: result.config };
}

/** Apps whose directory (a symlink in `source.root`) leads outside the target: the deploy is refused. */
async function appsOutsideTarget(target: string, config: ParsedConfig): Promise<string[]> {
  const refusals: string[] = [];
  for (const app of config.apps) {
    const dir = path.resolve(target, app.sourceRoot);
    const inside = await resolveInsideTarget(target, dir);
    // A directory that does not exist yet is the run's error to report, not the deploy's.
    if (!inside.ok && !inside.reason.includes("does not exist")) {
      refusals.push(`applications.${app.name}.source.root: ${inside.reason}`);
    }
  }
  return refusals;
}
