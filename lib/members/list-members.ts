import type { Actor } from "../access/actor";
import { loadAccess } from "../access/access";
import type { Db } from "../db/client";
import { notFound } from "../errors";
import { memberRolesOf } from "../access/member-roles";

/** A project's members, for any member of it (404 for anyone else), by email. */
export async function listMembers(db: Db, actor: Actor, projectId: string) {
  const view = (await loadAccess(db, actor, projectId)).can({ kind: "view-project" });
  if (!view.allowed) throw notFound("project");
  const rows = await db.membership.findMany({
    where: { projectId },
    include: { user: { select: { id: true, email: true, name: true } } },
    orderBy: { user: { email: "asc" } },
  });
  return rows.map((m) => {
    const roles = memberRolesOf(m);
    return {
      id: m.id,
      userId: m.user.id,
      email: m.user.email,
      name: m.user.name,
      projectRole: roles.projectRole,
      roles,
      createdAt: m.createdAt,
      isYou: m.user.id === actor.userId,
    };
  });
}
