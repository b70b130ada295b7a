/** An audit event as the console shows it: details parsed back from their JSON. */
export type AuditEventView = {
  id: string;
  at: Date;
  actor: string;
  action: string;
  target: string | null;
  details: Record<string, unknown>;
  source: string;
  ip: string | null;
};

type Row = {
  id: string;
  createdAt: Date;
  actorLabel: string;
  action: string;
  target: string | null;
  details: string | null;
  source: string;
  ip: string | null;
};

function parseDetails(json: string | null): Record<string, unknown> {
  if (!json) return {};
  try {
    const value: unknown = JSON.parse(json);
    return typeof value === "object" && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : { value };
  } catch {
    // Details are written by runops as JSON; keep anything else readable rather than failing the page.
    return { raw: json };
  }
}

export function toAuditEventView(row: Row): AuditEventView {
  return {
    id: row.id,
    at: row.createdAt,
    actor: row.actorLabel,
    action: row.action,
    target: row.target,
    details: parseDetails(row.details),
    source: row.source,
    ip: row.ip,
  };
}
