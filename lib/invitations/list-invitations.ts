import type { Actor } from "../access/actor";
import { loadAccess } from "../access/access";
import type { Db } from "../db/client";
import { notFound } from "../errors";
import { memberRolesOf } from "../access/member-roles";
import { describeRoles } from "../members/member-roles";

/** The project's invitations not yet accepted nor expired, newest first (project admins; [] for others). */
export async function listPendingInvitations(db: Db, actor: Actor, projectId: string) {
  const view = (await loadAccess(db, actor, projectId)).can({ kind: "admin-project" });
  if (!view.allowed) {
    if (view.status === 404) throw notFound("project");
    return [];
  }
  const rows = await db.invitation.findMany({
    where: { projectId, acceptedAt: null, expiresAt: { gt: new Date() } },
    orderBy: { id: "desc" },
  });
  const creators = await db.user.findMany({
    where: { id: { in: [...new Set(rows.map((r) => r.createdById))] } },
    select: { id: true, email: true },
  });
  const emailOf = new Map(creators.map((u) => [u.id, u.email]));
  return rows.map((r) => ({
    id: r.id,
    email: r.email,
    roles: describeRoles(memberRolesOf(r)),
    createdBy: emailOf.get(r.createdById) ?? "a former user",
    createdAt: r.createdAt,
    expiresAt: r.expiresAt,
  }));
}
