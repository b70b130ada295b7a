import type { Actor } from "../access/actor";
import type { Db } from "../db/client";
import { requireInstanceAdmin } from "../access/instance-admin";
import { toAuditEventView } from "./audit-event-view";
import { type AuditFilters, auditFiltersSchema, auditWhere } from "./audit-filters";

/**
 * The instance-wide audit log (events of no project: sign-in failures,
 * accounts, API tokens, first start), for instance admins.
 */
export async function listInstanceAudit(db: Db, actor: Actor, filters: AuditFilters) {
  await requireInstanceAdmin(db, actor, "instance audit log");
  const f = auditFiltersSchema.parse(filters);
  const rows = await db.auditEvent.findMany({
    where: { projectId: null, ...auditWhere(f) },
    orderBy: { id: "desc" },
    take: f.limit + 1,
  });
  const page = rows.slice(0, f.limit);
  const actors = await db.auditEvent.findMany({
    where: { projectId: null },
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
