import type { Actor } from "../access/actor";
import { recordAudit } from "../audit/record-audit";
import { AppError } from "../errors";
import { newId } from "../ids";
import { describeRoles } from "../members/member-roles";
import type { Tx } from "../projects/lock-project";

type Invitation = {
  id: string;
  projectId: string;
  projectRole: string;
  productionRole: string | null;
  stagingRole: string | null;
  developmentRole: string | null;
  createdById: string;
};

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
  const roles = {
    projectRole: invitation.projectRole === "admin" ? "admin" : "viewer",
    productionRole: invitation.productionRole,
    stagingRole: invitation.stagingRole,
    developmentRole: invitation.developmentRole,
  };
  const membership = await tx.membership.create({
    data: { id: newId(), projectId: invitation.projectId, userId: actor.userId, ...roles },
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
