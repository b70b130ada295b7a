import type { Actor } from "../access/actor";
import type { Db } from "../db/client";

/** The projects the actor is a member of, by name. */
export async function listProjects(db: Db, actor: Actor) {
  const memberships = await db.membership.findMany({
    where: { userId: actor.userId },
    include: {
      project: { include: { _count: { select: { environments: { where: { deletedAt: null } } } } } },
    },
    orderBy: { project: { name: "asc" } },
  });
  return memberships.map((m) => ({
    id: m.project.id,
    slug: m.project.slug,
    name: m.project.name,
    projectRole: m.projectRole,
    environmentCount: m.project._count.environments,
  }));
}
