import { z } from "zod";
import type { Actor } from "../access/actor";
import { recordAudit } from "../audit/record-audit";
import { hashPassword, verifyPassword } from "../auth/password";
import type { Db } from "../db/client";
import { AppError, notFound } from "../errors";
import { revokeUserSessions } from "../sessions/revoke-user-sessions";
import { passwordSchema } from "./user-input";

export const changePasswordInput = z
  .object({
    current: z.string().min(1, "Enter your current password"),
    password: passwordSchema,
    confirm: z.string(),
    /**
     * End the user's other sessions (on by default: whoever knew the old
     * password may be signed in somewhere). A boolean, or its form spelling:
     * the form sends a hidden "false" before the checkbox's "true".
     */
    signOutOthers: z
      .union([z.boolean(), z.enum(["true", "false"]).transform((v) => v === "true")])
      .default(true),
  })
  .refine((v) => v.password === v.confirm, { path: ["confirm"], message: "The passwords do not match" })
  .refine((v) => v.password !== v.current, {
    path: ["password"],
    message: "Choose a password different from the current one",
  });
export type ChangePasswordInput = z.input<typeof changePasswordInput>;

/**
 * The signed-in user changes their own password; the current one is
 * required. Their other sessions end with the change (unless they opt out);
 * the session making the change (`actor.sessionId`) stays.
 */
export async function changePassword(db: Db, actor: Actor, input: ChangePasswordInput) {
  const { current, password, signOutOthers } = changePasswordInput.parse(input);
  const user = await db.user.findUnique({ where: { id: actor.userId } });
  if (!user) throw notFound("user");
  if (!(await verifyPassword(current, user.passwordHash))) {
    await recordAudit(db, {
      projectId: null,
      actor,
      action: "user.password_change_failed",
      target: user.email,
    });
    throw new AppError(403, "wrong_password", "The current password is not correct", { field: "current" });
  }
  const passwordHash = await hashPassword(password);
  return db.$transaction(async (tx) => {
    await tx.user.update({ where: { id: user.id }, data: { passwordHash } });
    const sessionsEnded = signOutOthers
      ? await revokeUserSessions(tx, { userId: user.id, exceptSessionId: actor.sessionId })
      : 0;
    await recordAudit(tx, {
      projectId: null,
      actor,
      action: "user.password_changed",
      target: user.email,
      details: { otherSessionsEnded: sessionsEnded },
    });
    return { sessionsEnded };
  });
}
