import { z } from "zod";
import type { Actor } from "../access/actor";
import { loadAccess } from "../access/access";
import { recordAudit } from "../audit/record-audit";
import type { Db } from "../db/client";
import { notFound } from "../errors";
import { lockProject } from "../projects/lock-project";
import { assertAnotherAdmin } from "./last-admin";
import { memberRolesOf } from "../access/member-roles";
import { describeRoles } from "./member-roles";

export const removeMemberInput = z.object({ projectId: z.string().min(1), memberId: z.string().min(1) });
export type RemoveMemberInput = z.input<typeof removeMemberInput>;

/**
 * A project admin removes a member (themselves included, unless they are the
 * last admin). Access ends on the member's next request; their past runs and
 * audit events stay.
 */
export async function removeMember(db: Db, actor: Actor, input: RemoveMemberInput) {
  const { projectId, memberId } = removeMemberInput.parse(input);
  const project = await db.project.findUnique({ where: { id: projectId } });
  if (!project) throw notFound("project");
  await (await loadAccess(db, actor, project.id)).require({ kind: "admin-project" }, "members");
  return db.$transaction(async (tx) => {
    await lockProject(tx, project.id);
    const current = await tx.membership.findUnique({ where: { id: memberId }, include: { user: true } });
    if (!current || current.projectId !== project.id) throw notFound("member");
    if (current.projectRole === "admin") await assertAnotherAdmin(tx, project.id, current.id, "remove");
    await tx.membership.delete({ where: { id: current.id } });
    await recordAudit(tx, {
      projectId: project.id,
      actor,
      action: "member.removed",
      target: current.user.email,
      details: { roles: describeRoles(memberRolesOf(current)) },
    });
    return current;
  });
}
