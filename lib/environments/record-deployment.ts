import type { Actor } from "../access/actor";
import { recordAudit } from "../audit/record-audit";
import { formatConfigWarning } from "../config/types";
import type { Db } from "../db/client";
import type { DeployResult } from "../deployments/deploy-environment";

/** Writes a deploy or refresh to the project's audit log: deployed (with any config warnings), or refused with the config error. */
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
      ? {
          deploymentId: result.deploymentId,
          operations: result.config.operations.length,
          // Keys set twice: the audit says what was deployed despite them (a refusal's error has them).
          ...(result.warnings.length > 0 ? { warnings: result.warnings.map(formatConfigWarning) } : {}),
        }
      : { deploymentId: result.deploymentId, error: result.error },
  });
}
