import type { Actor } from "../access/actor";
import type { Db } from "../db/client";
import { requireInstanceAdmin } from "../access/instance-admin";

/**
 * Every project on the instance, for instance admins: name, slug, size and who
 * administers it. Being an instance admin does not make one a member: opening
 * a project still needs a membership (the project rule is unchanged).
 */
export async function listAllProjects(db: Db, actor: Actor) {
  await requireInstanceAdmin(db, actor, "projects");
  const projects = await db.project.findMany({
    orderBy: { name: "asc" },
    include: {
      memberships: {
        where: { projectRole: "admin" },
        select: { user: { select: { email: true } } },
        orderBy: { createdAt: "asc" },
      },
      _count: { select: { memberships: true, environments: { where: { deletedAt: null } } } },
    },
  });
  const mine = new Set(
    (await db.membership.findMany({ where: { userId: actor.userId }, select: { projectId: true } })).map(
      (m) => m.projectId,
    ),
  );
  return projects.map((p) => ({
    id: p.id,
    slug: p.slug,
    name: p.name,
    createdAt: p.createdAt,
    admins: p.memberships.map((m) => m.user.email),
    memberCount: p._count.memberships,
    environmentCount: p._count.environments,
    isMember: mine.has(p.id),
  }));
}
