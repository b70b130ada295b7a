import { z } from "zod";
import type { Actor } from "../access/actor";
import { recordAudit } from "../audit/record-audit";
import { hashPassword, verifyPassword } from "../auth/password";
import type { Db } from "../db/client";
import { AppError, notFound } from "../errors";
import { passwordSchema } from "./user-input";

export const changePasswordInput = z
  .object({
    current: z.string().min(1, "Enter your current password"),
    password: passwordSchema,
    confirm: z.string(),
  })
  .refine((v) => v.password === v.confirm, { path: ["confirm"], message: "The passwords do not match" })
  .refine((v) => v.password !== v.current, {
    path: ["password"],
    message: "Choose a password different from the current one",
  });
export type ChangePasswordInput = z.input<typeof changePasswordInput>;

/** The signed-in user changes their own password; the current one is required. */
export async function changePassword(db: Db, actor: Actor, input: ChangePasswordInput) {
  const { current, password } = changePasswordInput.parse(input);
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
  await db.user.update({ where: { id: user.id }, data: { passwordHash: await hashPassword(password) } });
  await recordAudit(db, { projectId: null, actor, action: "user.password_changed", target: user.email });
}
