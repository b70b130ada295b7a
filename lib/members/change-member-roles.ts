import { z } from "zod";
import type { Actor } from "../access/actor";
import { loadAccess } from "../access/access";
import { recordAudit } from "../audit/record-audit";
import type { Db } from "../db/client";
import { notFound } from "../errors";
import { lockProject } from "../projects/lock-project";
import { assertAnotherAdmin } from "./last-admin";
import { memberRolesOf, roleColumnsOf } from "../access/member-roles";
import { describeRoles, memberRolesInput, memberRolesOfInput } from "./member-roles";

export const changeMemberRolesInput = memberRolesInput.extend({
  projectId: z.string().min(1),
  memberId: z.string().min(1),
});
export type ChangeMemberRolesInput = z.input<typeof changeMemberRolesInput>;

/**
 * A project admin changes a member's roles. Roles are read fresh on every
 * request (`loadAccess`, lib/access/access.ts), so the change applies to the member's
 * very next request. The last admin cannot be demoted.
 */
export async function changeMemberRoles(db: Db, actor: Actor, input: ChangeMemberRolesInput) {
  const { projectId, memberId, ...fields } = changeMemberRolesInput.parse(input);
  const roles = memberRolesOfInput(fields);
  const project = await db.project.findUnique({ where: { id: projectId } });
  if (!project) throw notFound("project");
  await (await loadAccess(db, actor, project.id)).require({ kind: "admin-project" }, "members");
  const next = roleColumnsOf(roles);
  return db.$transaction(async (tx) => {
    await lockProject(tx, project.id);
    const current = await tx.membership.findUnique({ where: { id: memberId }, include: { user: true } });
    if (!current || current.projectId !== project.id) throw notFound("member");
    if (current.projectRole === "admin" && next.projectRole !== "admin") {
      await assertAnotherAdmin(tx, project.id, current.id, "demote");
    }
    const from = describeRoles(memberRolesOf(current));
    const to = describeRoles(roles);
    if (from === to) return current;
    const updated = await tx.membership.update({ where: { id: current.id }, data: next });
    await recordAudit(tx, {
      projectId: project.id,
      actor,
      action: "member.role_changed",
      target: current.user.email,
      details: { from, to },
    });
    return updated;
  });
}
