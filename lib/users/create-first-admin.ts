import { recordAudit } from "../audit/record-audit";
import { hashPassword } from "../auth/password";
import type { Db } from "../db/client";
import { AppError } from "../errors";
import { newId } from "../ids";
import { isWriteConflict } from "../db/errors";
import { type NewAccountInput, newAccountInput } from "./user-input";

const alreadySetUp = () =>
  new AppError(404, "not_found", "runops is already set up: sign in with an existing account");

/**
 * First start: creates the instance administrator, only while the database has
 * no user. Serializable, so two people racing on a brand-new install cannot
 * both become the first admin (the loser's transaction fails and is refused).
 */
export async function createFirstAdmin(db: Db, input: NewAccountInput, from: { ip?: string | null } = {}) {
  const { name, email, password } = newAccountInput.parse(input);
  const passwordHash = await hashPassword(password);
  try {
    return await db.$transaction(
      async (tx) => {
        if ((await tx.user.count()) > 0) throw alreadySetUp();
        const user = await tx.user.create({
          data: { id: newId(), email, name, passwordHash, isAdmin: true },
        });
        await recordAudit(tx, {
          projectId: null,
          actor: { userId: user.id, email, name, source: "console", ip: from.ip ?? null },
          action: "instance.setup",
          target: email,
          details: { instanceAdmin: true },
        });
        return user;
      },
      { isolationLevel: "Serializable" },
    );
  } catch (error) {
    if (isWriteConflict(error)) throw alreadySetUp();
    throw error;
  }
}
