import type { Actor } from "../access/actor";
import type { Db } from "../db/client";
import { newId } from "../ids";

export type AuditEntry = {
  projectId: string | null;
  /** Who acted; null for an anonymous attempt (then set actorLabel). */
  actor: Actor | null;
  actorLabel?: string;
  /** Dotted verb, e.g. "run.triggered", "member.role_changed", "auth.signin_failed". */
  action: string;
  /** What it was done to, as a person reads it ("clear-cache on storefront", "dev@example.com"). */
  target?: string | null;
  details?: Record<string, unknown>;
  source?: string;
  ip?: string | null;
};

/** A client or an interactive transaction: an event written inside a transaction commits with the change. */
export type AuditWriter = Pick<Db, "auditEvent">;

/** Appends one event to the audit log. Callers await it: an action that cannot be audited fails. */
export async function recordAudit(db: AuditWriter, entry: AuditEntry) {
  await db.auditEvent.create({
    data: {
      id: newId(),
      projectId: entry.projectId,
      actorId: entry.actor?.userId ?? null,
      actorLabel: entry.actor?.email ?? entry.actorLabel ?? "anonymous",
      action: entry.action,
      target: entry.target ?? null,
      details: entry.details ? JSON.stringify(entry.details) : null,
      source: entry.source ?? entry.actor?.source ?? "console",
      ip: entry.ip ?? entry.actor?.ip ?? null,
    },
  });
}
