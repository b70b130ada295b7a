import type { Actor } from "../access/actor";
import { recordAudit } from "../audit/record-audit";
import { hashPassword } from "../auth/password";
import type { Db } from "../db/client";
import { AppError } from "../errors";
import { insertUser } from "../users/create-user";
import { type NewAccountInput, newAccountInput } from "../users/user-input";
import { consumeInvitation } from "./consume-invitation";
import { findUsableInvitation } from "./find-invitation";

/**
 * Someone without an account opens an invitation link and creates one: the
 * invitation is what lets them sign up, even when self sign-up is off. The
 * account, the membership and the used link are one transaction.
 */
export async function acceptInvitationWithAccount(
  db: Db,
  token: string,
  input: NewAccountInput,
  from: { ip?: string | null } = {},
) {
  const invitation = await findUsableInvitation(db, token);
  const account = newAccountInput.parse(input);
  if (invitation.email && invitation.email !== account.email) {
    throw new AppError(403, "forbidden", `This invitation is for ${invitation.email}`, { field: "email" });
  }
  const passwordHash = await hashPassword(account.password);
  await db.$transaction(async (tx) => {
    const user = await insertUser(tx, { name: account.name, email: account.email, passwordHash });
    const actor: Actor = {
      userId: user.id,
      email: user.email,
      name: user.name,
      source: "console",
      ip: from.ip ?? null,
    };
    await recordAudit(tx, {
      projectId: null,
      actor,
      action: "user.signed_up",
      target: user.email,
      details: { via: "invitation", project: invitation.project.slug },
    });
    await consumeInvitation(tx, invitation, actor);
  });
  return { project: invitation.project, email: account.email };
}
