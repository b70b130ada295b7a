import type { Actor } from "../access/actor";
import { environmentRole } from "../access/decide";
import { environmentTypeSchema } from "../access/roles";
import type { Db } from "../db/client";
import { notFound } from "../errors";
import { readProjectAccess } from "./get-project-access";

/** A project and the environments the actor may see (others stay invisible). Two statements. */
export async function getProject(db: Db, actor: Actor, slug: string) {
  const loaded = await readProjectAccess(db, actor, slug);
  if (!loaded || !loaded.access.can({ kind: "view-project" }).allowed) throw notFound("project");
  const { project, access } = loaded;
  const member = access.member;
  const environments = await db.environment.findMany({
    where: { projectId: project.id, deletedAt: null },
    orderBy: { name: "asc" },
    select: { id: true, name: true, type: true, status: true },
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
    canAdmin: access.can({ kind: "admin-project" }).allowed,
    environments: visible,
  };
}
