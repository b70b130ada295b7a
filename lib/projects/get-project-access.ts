import type { Actor } from "../access/actor";
import { authorize } from "../access/authorize";
import type { Db } from "../db/client";
import { notFound } from "../errors";

/**
 * For pages: the project if the actor is a member (404 otherwise, as for any
 * project outside theirs) and whether they administer it. Pages only show
 * what mutations would allow; the server actions check again (and audit).
 */
export async function getProjectAccess(db: Db, actor: Actor, slug: string) {
  const project = await db.project.findUnique({ where: { slug } });
  if (!project) throw notFound("project");
  const view = await authorize(db, actor, project.id, { kind: "view-project" });
  if (!view.allowed) throw notFound("project");
  const admin = await authorize(db, actor, project.id, { kind: "admin-project" });
  return { project, canAdmin: admin.allowed };
}
