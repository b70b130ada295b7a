import { z } from "zod";
import type { Actor } from "../access/actor";
import { loadAccess } from "../access/access";
import { recordAudit } from "../audit/record-audit";
import type { Db } from "../db/client";
import { AppError, notFound } from "../errors";
import { newId } from "../ids";
import { isUniqueViolation } from "../db/errors";
import { emailSchema } from "../users/user-input";
import { roleColumnsOf } from "../access/member-roles";
import { describeRoles, memberRolesInput, memberRolesOfInput } from "./member-roles";

export const addMemberInput = memberRolesInput.extend({
  projectId: z.string().min(1),
  email: emailSchema,
});
export type AddMemberInput = z.input<typeof addMemberInput>;

const alreadyMember = (email: string) =>
  new AppError(409, "already_member", `${email} is already a member: change their roles instead`, {
    field: "email",
  });

/** A project admin adds an existing user, found by email, with their roles. */
export async function addMember(db: Db, actor: Actor, input: AddMemberInput) {
  const { projectId, email, ...fields } = addMemberInput.parse(input);
  const roles = memberRolesOfInput(fields);
  const project = await db.project.findUnique({ where: { id: projectId } });
  if (!project) throw notFound("project");
  await (await loadAccess(db, actor, project.id)).require({ kind: "admin-project" }, "members");
  const user = await db.user.findUnique({ where: { email } });
  if (!user) {
    throw new AppError(
      404,
      "no_such_user",
      `No account uses ${email}: create an invitation link for them instead`,
      { field: "email" },
    );
  }
  const stored = roleColumnsOf(roles);
  const membership = await db.membership
    .create({ data: { id: newId(), projectId: project.id, userId: user.id, ...stored } })
    .catch((error: unknown) => {
      throw isUniqueViolation(error) ? alreadyMember(email) : error;
    });
  await recordAudit(db, {
    projectId: project.id,
    actor,
    action: "member.added",
    target: email,
    details: { roles: describeRoles(roles) },
  });
  return membership;
}
