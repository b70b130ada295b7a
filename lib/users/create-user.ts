import type { Db } from "../db/client";
import { AppError } from "../errors";
import { newId } from "../ids";
import { isUniqueViolation } from "../db/errors";

type UserWriter = Pick<Db, "user">;

export const emailTaken = () =>
  new AppError(409, "email_taken", "An account already uses this email: sign in instead", { field: "email" });

/** Inserts a (non-admin) user with a hashed password; a taken email is a field error. */
export async function insertUser(
  db: UserWriter,
  account: { name: string; email: string; passwordHash: string },
) {
  try {
    return await db.user.create({ data: { id: newId(), ...account } });
  } catch (error) {
    if (isUniqueViolation(error)) throw emailTaken();
    throw error;
  }
}
