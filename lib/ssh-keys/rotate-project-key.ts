import type { Actor } from "../access/actor";
import { loadAccess } from "../access/access";
import { recordAudit } from "../audit/record-audit";
import type { Db } from "../db/client";
import { AppError, notFound } from "../errors";
import { isUniqueViolation } from "../db/errors";
import { insertProjectKey, listProjectKeys } from "./project-key-store";

/**
 * Starts a rotation: a next key, shown to the admin to add to the hosts. Both
 * keys are offered when connecting until the admin confirms (confirmKeyRotation).
 */
export async function rotateProjectKey(db: Db, actor: Actor, projectId: string) {
  const project = await db.project.findUnique({ where: { id: projectId } });
  if (!project) throw notFound("project");
  await (await loadAccess(db, actor, project.id)).require({ kind: "admin-project" }, "SSH keys");
  const keys = await listProjectKeys(db, project.id);
  const pending = keys.find((k) => k.status === "next");
  if (pending) return pending;
  if (keys.length === 0) throw new AppError(409, "no_key", "The project has no SSH key to rotate yet");
  try {
    const next = await insertProjectKey(db, project, "next");
    await recordAudit(db, {
      projectId: project.id,
      actor,
      action: "project.key_rotation_started",
      target: project.slug,
      details: { fingerprint: next.fingerprint },
    });
    return next;
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    const again = await listProjectKeys(db, project.id);
    const made = again.find((k) => k.status === "next");
    if (!made) throw error;
    return made;
  }
}
