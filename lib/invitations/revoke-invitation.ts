import { z } from "zod";
import type { Actor } from "../access/actor";
import { loadAccess } from "../access/access";
import { recordAudit } from "../audit/record-audit";
import type { Db } from "../db/client";
import { notFound } from "../errors";
import { memberRolesOf } from "../access/member-roles";
import { describeRoles } from "../members/member-roles";

export const revokeInvitationInput = z.object({
  projectId: z.string().min(1),
  invitationId: z.string().min(1),
});

/** A project admin withdraws a pending invitation: its link stops working at once. */
export async function revokeInvitation(db: Db, actor: Actor, input: z.input<typeof revokeInvitationInput>) {
  const { projectId, invitationId } = revokeInvitationInput.parse(input);
  const project = await db.project.findUnique({ where: { id: projectId } });
  if (!project) throw notFound("project");
  await (await loadAccess(db, actor, project.id)).require({ kind: "admin-project" }, "invitations");
  const invitation = await db.invitation.findUnique({ where: { id: invitationId } });
  if (!invitation || invitation.projectId !== project.id || invitation.acceptedAt)
    throw notFound("invitation");
  // The row goes (the link must never work again); the audit log keeps what it was.
  await db.invitation.delete({ where: { id: invitation.id } });
  await recordAudit(db, {
    projectId: project.id,
    actor,
    action: "invitation.revoked",
    target: invitation.email ?? "anyone with the link",
    details: { invitationId: invitation.id, roles: describeRoles(memberRolesOf(invitation)) },
  });
}
