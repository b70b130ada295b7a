import type { Actor } from "../access/actor";
import { loadAccess } from "../access/access";
import type { Db } from "../db/client";
import { parseStoredConfig } from "../deployments/deployment-config";
import { originalEnvironmentName } from "./environment-input";

/**
 * What a project admin manages on the settings page: every live environment
 * with its target, current deployment and active runs, and the deleted ones
 * with the history they kept. 404 outside the project, 403 for non-admins
 * (not audited: looking at a page is not an attempt to change anything).
 */
export async function listEnvironmentSettings(db: Db, actor: Actor, projectId: string) {
  await (
    await loadAccess(db, actor, projectId)
  ).require({ kind: "admin-project" }, "project", { audit: false });
  const rows = await db.environment.findMany({
    where: { projectId },
    orderBy: { name: "asc" },
    include: {
      currentDeployment: { select: { createdAt: true, config: true } },
      _count: { select: { runs: true } },
    },
  });
  const active = await db.run.groupBy({
    by: ["environmentId"],
    where: { environment: { projectId }, state: { in: ["pending", "in_progress"] } },
    _count: { _all: true },
  });
  const activeBy = new Map(active.map((a) => [a.environmentId, a._count._all]));
  const lastAttempts = await Promise.all(
    rows
      .filter((e) => !e.deletedAt)
      .map((e) =>
        db.deployment.findFirst({
          where: { environmentId: e.id },
          orderBy: { createdAt: "desc" },
          select: { environmentId: true, ok: true, error: true, createdAt: true },
        }),
      ),
  );
  const refusedBy = new Map(
    lastAttempts.flatMap((d) => (d && !d.ok ? [[d.environmentId, { at: d.createdAt, error: d.error }]] : [])),
  );
  const live = rows
    .filter((e) => !e.deletedAt)
    .map((e) => ({
      id: e.id,
      name: e.name,
      type: e.type,
      status: e.status,
      targetKind: e.targetKind,
      targetHost: e.targetHost,
      targetHostKey: e.targetHostKey,
      targetPath: e.targetPath,
      pool: e.pool,
      deployedAt: e.currentDeployment?.createdAt ?? null,
      ...deployedConfig(e.currentDeployment),
      refused: refusedBy.get(e.id) ?? null,
      activeRuns: activeBy.get(e.id) ?? 0,
      runCount: e._count.runs,
    }));
  const deleted = rows
    .flatMap((e) => (e.deletedAt ? [{ ...e, deletedAt: e.deletedAt }] : []))
    .sort((a, b) => b.deletedAt.getTime() - a.deletedAt.getTime())
    .map((e) => ({
      id: e.id,
      name: originalEnvironmentName(e.name),
      type: e.type,
      targetPath: e.targetPath,
      deletedAt: e.deletedAt,
      runCount: e._count.runs,
    }));
  return { live, deleted };
}

/** What the settings row shows of the current deployment's config. */
function deployedConfig(deployment: { config: string | null } | null) {
  if (!deployment) return { operationCount: null, warnings: [] };
  const config = parseStoredConfig(deployment.config);
  return { operationCount: config.operations.length, warnings: config.warnings };
}
