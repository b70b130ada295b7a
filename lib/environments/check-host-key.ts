import type { Actor } from "../access/actor";
import { loadAccess } from "../access/access";
import type { Db } from "../db/client";
import { AppError } from "../errors";
import { type SshProbe, probeSshTarget } from "./probe-ssh-target";
import { findLiveEnvironment } from "./find-live-environment";

/** What an SSH environment's host offers now, beside what is pinned: for an admin to re-pin after checking. */
export async function checkHostKey(
  db: Db,
  actor: Actor,
  environmentId: string,
): Promise<SshProbe & { pinned: string | null }> {
  const env = await findLiveEnvironment(db, environmentId);
  await (await loadAccess(db, actor, env.projectId)).require({ kind: "admin-project" }, "environment");
  if (env.targetKind !== "ssh" || !env.targetHost) {
    throw new AppError(409, "not_ssh", `${env.name} is not an SSH environment`);
  }
  const probe = await probeSshTarget(db, actor, { projectId: env.projectId, targetHost: env.targetHost });
  return { ...probe, pinned: env.targetHostKey };
}
