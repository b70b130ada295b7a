import { readConfig } from "../config/read-config";
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
  if (!result.ok) {
    const error = result.issues.map(formatConfigIssue).join("\n");
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
