import type { Actor } from "../access/actor";
import { loadAccess } from "../access/access";
import { recordAudit } from "../audit/record-audit";
import type { Db } from "../db/client";
import { notFound } from "../errors";
import { type RenameProjectInput, renameProjectInput } from "./project-input";

/**
 * A project admin changes the project's display name. The slug stays: it is in
 * URLs, bookmarks and every CLI invocation (`-p <slug>`), see decision 0004.
 */
export async function renameProject(db: Db, actor: Actor, input: RenameProjectInput) {
  const { projectId, name } = renameProjectInput.parse(input);
  const project = await db.project.findUnique({ where: { id: projectId } });
  if (!project) throw notFound("project");
  await (await loadAccess(db, actor, project.id)).require({ kind: "admin-project" }, "project settings");
  if (project.name === name) return project;
  const renamed = await db.project.update({ where: { id: project.id }, data: { name } });
  await recordAudit(db, {
    projectId: project.id,
    actor,
    action: "project.renamed",
    target: project.slug,
    details: { from: project.name, to: name },
  });
  return renamed;
}
