import type { Actor } from "../access/actor";
import { recordAudit } from "../audit/record-audit";
import { AppError } from "../errors";
import { newId } from "../ids";
import { type RoleColumns, memberRolesOf, roleColumnsOf } from "../access/member-roles";
import { describeRoles } from "../members/member-roles";
import type { Tx } from "../projects/lock-project";

type Invitation = RoleColumns & { id: string; projectId: string; createdById: string };

/**
 * Inside a transaction: marks the invitation used (only if it still is
 * unused and unexpired, so a link works exactly once even when opened twice at
 * the same moment) and makes `actor` a member with its roles.
 */
export async function consumeInvitation(tx: Tx, invitation: Invitation, actor: Actor) {
  const now = new Date();
  const claimed = await tx.invitation.updateMany({
    where: { id: invitation.id, acceptedAt: null, expiresAt: { gt: now } },
    data: { acceptedAt: now, acceptedById: actor.userId },
  });
  if (claimed.count !== 1) {
    throw new AppError(409, "invitation_used", "This invitation link has already been used or has expired");
  }
  const roles = memberRolesOf(invitation);
  const membership = await tx.membership.create({
    data: { id: newId(), projectId: invitation.projectId, userId: actor.userId, ...roleColumnsOf(roles) },
  });
  await recordAudit(tx, {
    projectId: invitation.projectId,
    actor,
    action: "member.added",
    target: actor.email,
    details: { roles: describeRoles(roles), via: "invitation", invitationId: invitation.id },
  });
  return membership;
}
