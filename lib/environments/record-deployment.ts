import type { Actor } from "../access/actor";
import { recordAudit } from "../audit/record-audit";
import type { Db } from "../db/client";
import type { DeployResult } from "../deployments/deploy-environment";

/** Writes a deploy or refresh to the project's audit log: deployed, or refused with the config error. */
export async function recordDeployment(
  db: Db,
  actor: Actor,
  env: { projectId: string; name: string },
  result: DeployResult,
) {
  await recordAudit(db, {
    projectId: env.projectId,
    actor,
    action: result.ok ? "environment.deployed" : "environment.deploy_refused",
    target: env.name,
    details: result.ok
      ? { deploymentId: result.deploymentId, operations: result.config.operations.length }
      : { deploymentId: result.deploymentId, error: result.error },
  });
}
