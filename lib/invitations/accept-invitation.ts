import type { Actor } from "../access/actor";
import { recordAudit } from "../audit/record-audit";
import type { Db } from "../db/client";
import { AppError } from "../errors";
import { consumeInvitation } from "./consume-invitation";
import { findUsableInvitation } from "./find-invitation";

/** A signed-in user accepts an invitation link and becomes a member of its project. */
export async function acceptInvitation(db: Db, actor: Actor, token: string) {
  const invitation = await findUsableInvitation(db, token);
  if (invitation.email && invitation.email !== actor.email.toLowerCase()) {
    await recordAudit(db, {
      projectId: invitation.projectId,
      actor,
      action: "access.denied",
      target: "invitation",
      details: { attempted: "accept-invitation", reason: `invitation is for ${invitation.email}` },
    });
    throw new AppError(
      403,
      "forbidden",
      `This invitation is for ${invitation.email}: sign in with that account to accept it`,
    );
  }
  const existing = await db.membership.findUnique({
    where: { projectId_userId: { projectId: invitation.projectId, userId: actor.userId } },
  });
  if (existing) {
    throw new AppError(409, "already_member", `You are already a member of ${invitation.project.name}`);
  }
  await db.$transaction((tx) => consumeInvitation(tx, invitation, actor));
  return { project: invitation.project };
}
