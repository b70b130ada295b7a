import type { Actor } from "../access/actor";
import { loadAccess } from "../access/access";
import { recordAudit } from "../audit/record-audit";
import type { Db } from "../db/client";
import { deployEnvironment } from "../deployments/deploy-environment";
import { AppError, notFound } from "../errors";
import { newId } from "../ids";
import { isUniqueViolation } from "../db/errors";
import { type CreateEnvironmentInput, createEnvironmentInput } from "./environment-input";
import { recordDeployment } from "./record-deployment";

const nameTaken = (name: string) =>
  new AppError(409, "name_taken", `The project already has an environment named "${name}"`, {
    field: "name",
  });

/**
 * A project admin adds an environment and deploys it at once: the result says
 * which operations were found, or why the config was refused (file:line:col).
 * A refused config still leaves the environment in place, without operations,
 * ready for a refresh once the files are fixed.
 */
export async function createEnvironment(db: Db, actor: Actor, input: CreateEnvironmentInput) {
  const data = createEnvironmentInput.parse(input);
  const project = await db.project.findUnique({ where: { id: data.projectId } });
  if (!project) throw notFound("project");
  await (await loadAccess(db, actor, project.id)).require({ kind: "admin-project" }, "environments");
  const ssh = data.targetKind === "ssh";
  if (ssh && !data.hostKey) {
    // The console shows the offered key first (probeSshTarget); nothing is trusted unconfirmed.
    throw new AppError(400, "host_key_unconfirmed", "Confirm the host key of the SSH host first", {
      field: "hostKey",
    });
  }
  const environment = await db.environment
    .create({
      data: {
        id: newId(),
        projectId: project.id,
        name: data.name,
        type: data.type,
        targetKind: data.targetKind,
        targetHost: ssh ? (data.targetHost ?? null) : null,
        targetHostKey: ssh ? (data.hostKey ?? null) : null,
        targetPath: data.targetPath,
        pool: data.pool ?? "default",
      },
    })
    .catch((error: unknown) => {
      // The name is unique per project (deleted environments were renamed out of the way).
      throw isUniqueViolation(error) ? nameTaken(data.name) : error;
    });
  await recordAudit(db, {
    projectId: project.id,
    actor,
    action: "environment.created",
    target: environment.name,
    details: {
      type: environment.type,
      targetKind: environment.targetKind,
      targetHost: environment.targetHost,
      targetHostKey: environment.targetHostKey,
      targetPath: environment.targetPath,
      pool: environment.pool,
    },
  });
  const deploy = await deployEnvironment(db, environment.id, actor.userId);
  await recordDeployment(db, actor, environment, deploy);
  return { environment, deploy };
}
