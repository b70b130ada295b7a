import type { Actor } from "../access/actor";
import { loadAccess } from "../access/access";
import type { Db } from "../db/client";
import { toAuditEventView } from "./audit-event-view";
import { type AuditFilters, auditFiltersSchema, auditWhere } from "./audit-filters";

/**
 * A project's audit log for its admins, newest first, one keyset page at a
 * time, plus the people who appear in it (for the actor filter).
 */
export async function listProjectAudit(db: Db, actor: Actor, projectId: string, filters: AuditFilters) {
  await (
    await loadAccess(db, actor, projectId)
  ).require({ kind: "admin-project" }, "project", { audit: false });
  const f = auditFiltersSchema.parse(filters);
  const rows = await db.auditEvent.findMany({
    where: { projectId, ...auditWhere(f) },
    orderBy: { id: "desc" },
    take: f.limit + 1,
  });
  const page = rows.slice(0, f.limit);
  const actors = await db.auditEvent.findMany({
    where: { projectId },
    distinct: ["actorLabel"],
    select: { actorLabel: true },
    orderBy: { actorLabel: "asc" },
  });
  return {
    events: page.map(toAuditEventView),
    nextCursor: rows.length > f.limit ? (page[page.length - 1]?.id ?? null) : null,
    actors: actors.map((a) => a.actorLabel),
  };
}
