import { cache } from "react";
import { recordAudit } from "../audit/record-audit";
import type { Db } from "../db/client";
import { AppError } from "../errors";
import type { Actor } from "./actor";

/**
 * Instance administration (creating projects, the instance-wide audit log, the
 * user list, the workers) is outside any project, so the project rule of
 * `decide()` does not apply; this is its counterpart. Like `loadAccess`, it
 * reads the flag from the database once per request (the top bar and the page
 * both ask): revoking it applies on the next request.
 */
export const isInstanceAdmin = cache(async (db: Db, actor: Actor): Promise<boolean> => {
  const user = await db.user.findUnique({ where: { id: actor.userId }, select: { isAdmin: true } });
  return user?.isAdmin === true;
});

/** `isInstanceAdmin` or a 403, written to the instance-wide audit log like `Access.require` does. */
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
