import { z } from "zod";
import type { Actor } from "../access/actor";
import { recordAudit } from "../audit/record-audit";
import type { Db } from "../db/client";
import { AppError, notFound } from "../errors";
import { revokeUserSessions } from "../sessions/revoke-user-sessions";
import { isWriteConflict } from "../db/errors";
import { requireInstanceAdmin } from "../access/instance-admin";

export const setInstanceAdminInput = z.object({
  userId: z.string().min(1),
  /** A boolean, or its form spelling. */
  isAdmin: z.union([z.boolean(), z.enum(["true", "false"]).transform((v) => v === "true")]),
});
export type SetInstanceAdminInput = z.input<typeof setInstanceAdminInput>;

/**
 * An instance admin grants or revokes instance administration. The last one
 * cannot be revoked (nobody could create projects any more); the check and
 * the change are one serializable transaction, so two admins revoking each
 * other at the same moment cannot both succeed. Revoking ends the user's
 * console sessions (in the same transaction): they sign in again, as a user.
 */
export async function setInstanceAdmin(db: Db, actor: Actor, input: SetInstanceAdminInput) {
  await requireInstanceAdmin(db, actor, "instance admins");
  const { userId, isAdmin } = setInstanceAdminInput.parse(input);
  try {
    return await db.$transaction(
      async (tx) => {
        const user = await tx.user.findUnique({ where: { id: userId } });
        if (!user) throw notFound("user");
        if (user.isAdmin === isAdmin) return user;
        if (!isAdmin && (await tx.user.count({ where: { isAdmin: true, id: { not: user.id } } })) === 0) {
          throw new AppError(
            409,
            "last_instance_admin",
            "This is the last instance admin: make someone else one first",
          );
        }
        const updated = await tx.user.update({ where: { id: user.id }, data: { isAdmin } });
        const sessionsEnded = isAdmin ? 0 : await revokeUserSessions(tx, { userId: user.id });
        await recordAudit(tx, {
          projectId: null,
          actor,
          action: isAdmin ? "user.instance_admin_granted" : "user.instance_admin_revoked",
          target: user.email,
          ...(isAdmin ? {} : { details: { sessionsEnded } }),
        });
        return updated;
      },
      { isolationLevel: "Serializable" },
    );
  } catch (error) {
    if (isWriteConflict(error)) {
      throw new AppError(
        409,
        "conflict",
        "Another change to instance admins happened at the same time: try again",
      );
    }
    throw error;
  }
}
