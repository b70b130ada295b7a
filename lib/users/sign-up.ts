import { recordAudit } from "../audit/record-audit";
import { hashPassword } from "../auth/password";
import type { Db } from "../db/client";
import { AppError } from "../errors";
import { insertUser } from "./create-user";
import { type NewAccountInput, newAccountInput } from "./user-input";

/**
 * Self sign-up, when the instance allows it (RUNOPS_ALLOW_SIGNUP=1). The new
 * user belongs to no project until a project admin adds them.
 */
export async function signUp(
  db: Db,
  input: NewAccountInput,
  options: { allowed: boolean; ip?: string | null },
) {
  if (!options.allowed) throw new AppError(404, "not_found", "Sign-up is not enabled on this instance");
  const { name, email, password } = newAccountInput.parse(input);
  const user = await insertUser(db, { name, email, passwordHash: await hashPassword(password) });
  await recordAudit(db, {
    projectId: null,
    actor: { userId: user.id, email, name, source: "console", ip: options.ip ?? null },
    action: "user.signed_up",
    target: email,
  });
  return user;
}
