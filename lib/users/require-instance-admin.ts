import type { Actor } from "../access/actor";
import { recordAudit } from "../audit/record-audit";
import type { Db } from "../db/client";
import { AppError } from "../errors";

/**
 * Instance administration (creating projects, the instance-wide audit log, the
 * user list) is outside any project, so the project rule of lib/access does
 * not apply; this is its counterpart. Like `authorize`, it reads the flag from
 * the database on every call: revoking it applies on the next request.
 */
export async function isInstanceAdmin(db: Db, actor: Actor): Promise<boolean> {
  const user = await db.user.findUnique({ where: { id: actor.userId }, select: { isAdmin: true } });
  return user?.isAdmin === true;
}

/** `isInstanceAdmin` or a 403, written to the instance-wide audit log like `requireAccess` does. */
export async function requireInstanceAdmin(db: Db, actor: Actor, what: string): Promise<void> {
  if (await isInstanceAdmin(db, actor)) return;
  await recordAudit(db, {
    projectId: null,
    actor,
    action: "access.denied",
    target: what,
    details: { attempted: { kind: "admin-instance" }, reason: "requires instance admin" },
  });
  throw new AppError(403, "forbidden", "Not allowed: requires instance admin");
}
