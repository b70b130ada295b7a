import { z } from "zod";
import type { Actor } from "../access/actor";
import { loadAccess } from "../access/access";
import { recordAudit } from "../audit/record-audit";
import type { Db } from "../db/client";
import { notFound } from "../errors";
import { newId } from "../ids";
import { roleColumnsOf } from "../access/member-roles";
import { describeRoles, memberRolesInput, memberRolesOfInput } from "../members/member-roles";
import { emailSchema } from "../users/user-input";
import { generateInvitationToken, hashInvitationToken } from "./invitation-token";

export const createInvitationInput = memberRolesInput.extend({
  projectId: z.string().min(1),
  /** When set, only the account with this email can accept. */
  email: z.preprocess(
    (v) => (typeof v === "string" && v.trim() === "" ? undefined : v),
    emailSchema.nullish(),
  ),
  expiresInDays: z.coerce
    .number({ error: "Enter a number of days" })
    .int("Enter a whole number of days")
    .min(1, "At least 1 day")
    .max(30, "At most 30 days")
    .default(7),
});
export type CreateInvitationInput = z.input<typeof createInvitationInput>;

/**
 * A project admin creates an invitation link. The token is returned once and
 * only its hash is stored; the link works once, until it expires, and makes
 * whoever opens it (signed in, or creating an account) a member.
 */
export async function createInvitation(db: Db, actor: Actor, input: CreateInvitationInput) {
  const { projectId, email, expiresInDays, ...fields } = createInvitationInput.parse(input);
  const roles = memberRolesOfInput(fields);
  const project = await db.project.findUnique({ where: { id: projectId } });
  if (!project) throw notFound("project");
  await (await loadAccess(db, actor, project.id)).require({ kind: "admin-project" }, "invitations");
  const token = generateInvitationToken();
  const stored = roleColumnsOf(roles);
  const invitation = await db.invitation.create({
    data: {
      id: newId(),
      projectId: project.id,
      tokenHash: hashInvitationToken(token),
      email: email ?? null,
      ...stored,
      createdById: actor.userId,
      expiresAt: new Date(Date.now() + expiresInDays * 86_400_000),
    },
  });
  await recordAudit(db, {
    projectId: project.id,
    actor,
    action: "invitation.created",
    target: email ?? "anyone with the link",
    details: {
      invitationId: invitation.id,
      roles: describeRoles(roles),
      expiresAt: invitation.expiresAt.toISOString(),
    },
  });
  return { token, invitation };
}
