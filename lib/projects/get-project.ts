import type { Actor } from "../access/actor";
import { authorize, loadMemberRoles } from "../access/authorize";
import { environmentRole } from "../access/decide";
import { environmentTypeSchema } from "../access/roles";
import type { Db } from "../db/client";
import { notFound } from "../errors";

/** A project and the environments the actor may see (others stay invisible). */
export async function getProject(db: Db, actor: Actor, slug: string) {
  const project = await db.project.findUnique({ where: { slug } });
  if (!project) throw notFound("project");
  const decision = await authorize(db, actor, project.id, { kind: "view-project" });
  if (!decision.allowed) throw notFound("project");
  const member = await loadMemberRoles(db, actor.userId, project.id);
  const environments = await db.environment.findMany({
    where: { projectId: project.id, deletedAt: null },
    orderBy: { name: "asc" },
  });
  const visible = environments
    .map((e) => ({
      ...e,
      role: member ? environmentRole(member, environmentTypeSchema.parse(e.type)) : null,
    }))
    .filter((e) => e.role !== null);
  return {
    project,
    projectRole: member?.projectRole ?? "viewer",
    canAdmin: member?.projectRole === "admin",
    environments: visible,
  };
}
