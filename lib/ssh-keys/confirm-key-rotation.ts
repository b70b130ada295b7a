import type { Actor } from "../access/actor";
import { loadAccess } from "../access/access";
import { recordAudit } from "../audit/record-audit";
import type { Db } from "../db/client";
import { AppError, notFound } from "../errors";

/** Ends a rotation: the old key is deleted, the next one becomes the only key runops offers. */
export async function confirmKeyRotation(db: Db, actor: Actor, projectId: string) {
  const project = await db.project.findUnique({ where: { id: projectId } });
  if (!project) throw notFound("project");
  await (await loadAccess(db, actor, project.id)).require({ kind: "admin-project" }, "SSH keys");
  const next = await db.projectKey.findFirst({ where: { projectId: project.id, status: "next" } });
  if (!next) throw new AppError(409, "no_rotation", "No key rotation is waiting for confirmation");
  await db.$transaction([
    db.projectKey.deleteMany({ where: { projectId: project.id, status: "active" } }),
    db.projectKey.update({ where: { id: next.id }, data: { status: "active" } }),
  ]);
  await recordAudit(db, {
    projectId: project.id,
    actor,
    action: "project.key_rotated",
    target: project.slug,
    details: { fingerprint: next.fingerprint },
  });
  return { fingerprint: next.fingerprint };
}
