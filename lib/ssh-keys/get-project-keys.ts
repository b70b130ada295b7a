import type { Actor } from "../access/actor";
import { loadAccess } from "../access/access";
import { recordAudit } from "../audit/record-audit";
import type { Db } from "../db/client";
import { notFound } from "../errors";
import { isUniqueViolation } from "../db/errors";
import { type ProjectKeyView, insertProjectKey, listProjectKeys } from "./project-key-store";

/**
 * The project's SSH keys for a project admin (the active one, and the next one
 * during a rotation). The first call makes the active key: a project that never
 * uses SSH never gets one.
 */
export async function getProjectKeys(db: Db, actor: Actor, projectId: string): Promise<ProjectKeyView[]> {
  const project = await db.project.findUnique({ where: { id: projectId } });
  if (!project) throw notFound("project");
  await (await loadAccess(db, actor, project.id)).require({ kind: "admin-project" }, "SSH keys");
  const keys = await listProjectKeys(db, project.id);
  if (keys.length > 0) return keys;
  try {
    const made = await insertProjectKey(db, project, "active");
    await recordAudit(db, {
      projectId: project.id,
      actor,
      action: "project.key_created",
      target: project.slug,
      details: { fingerprint: made.fingerprint },
    });
  } catch (error) {
    // Two first uses at once: (projectId, status) is unique, the other one made it.
    if (!isUniqueViolation(error)) throw error;
  }
  return listProjectKeys(db, project.id);
}
