import { z } from "zod";
import type { Actor } from "../access/actor";
import { loadAccess } from "../access/access";
import { recordAudit } from "../audit/record-audit";
import type { Db } from "../db/client";
import { AppError } from "../errors";
import { hostKeySchema } from "./environment-input";
import { findLiveEnvironment } from "./find-live-environment";

export const pinHostKeyInput = z.object({ environmentId: z.string().min(1), hostKey: hostKeySchema });

/**
 * A project admin pins an SSH environment's host key after checking it (a new
 * host, or a key that changed on purpose). From now on only this key is accepted.
 */
export async function pinHostKey(db: Db, actor: Actor, input: z.input<typeof pinHostKeyInput>) {
  const { environmentId, hostKey } = pinHostKeyInput.parse(input);
  const env = await findLiveEnvironment(db, environmentId);
  await (await loadAccess(db, actor, env.projectId)).require({ kind: "admin-project" }, "environment");
  if (env.targetKind !== "ssh") throw new AppError(409, "not_ssh", `${env.name} is not an SSH environment`);
  const updated = await db.environment.update({ where: { id: env.id }, data: { targetHostKey: hostKey } });
  await recordAudit(db, {
    projectId: env.projectId,
    actor,
    action: "environment.host_key_pinned",
    target: env.name,
    details: { targetHost: env.targetHost, previous: env.targetHostKey, hostKey },
  });
  return updated;
}
