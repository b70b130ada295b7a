import Link from "next/link";
import type { AuditEventView } from "@/lib/audit/audit-event-view";
import { utc } from "../when";

type Group = { label: string; prefix: string; actions: string[] };
export type AuditQuery = { action?: string; actor?: string; from?: string; to?: string; before?: string };

/** A detail value as text: an access action `{ kind, ... }` reads "run-operation (operationRole: admin)". */
function show(value: unknown): string {
  if (typeof value === "string") return value;
  if (typeof value === "object" && value !== null && !Array.isArray(value) && "kind" in value) {
    const { kind, ...rest } = value;
    const more = Object.entries(rest).map(([k, v]) => `${k}: ${show(v)}`);
    return more.length ? `${show(kind)} (${more.join(", ")})` : show(kind);
  }
  return JSON.stringify(value);
}

function Details({ details }: { details: Record<string, unknown> }) {
  const entries = Object.entries(details);
  if (entries.length === 0) return <span className="muted">—</span>;
  return (
    <dl className="details">
      {entries.map(([key, value]) => (
        <div key={key}>
          <dt>{key}</dt>
          <dd>
            {key === "runId" && typeof value === "string" ? (
              <Link href={`/runs/${value}`}>{value}</Link>
            ) : (
              show(value)
            )}
          </dd>
        </div>
      ))}
    </dl>
  );
}

function href(base: string, query: AuditQuery): string {
  const qs = new URLSearchParams(Object.entries(query).filter((e): e is [string, string] => Boolean(e[1])));
  const s = qs.toString();
  return s ? `${base}?${s}` : base;
}

/**
 * An audit log page: a plain GET form for the filters (so a filtered view is
 * a link one can share), the events newest first, and keyset paging.
 */
export function AuditLog(props: {
  basePath: string;
  query: AuditQuery;
  events: AuditEventView[];
  actors: string[];
  nextCursor: string | null;
  groups: Group[];
  error?: string | null;
}) {
  const { query } = props;
  const filters = { action: query.action, actor: query.actor, from: query.from, to: query.to };
  return (
    <section aria-label="Audit log">
      <form method="get" action={props.basePath} className="filters" role="search" aria-label="Filter events">
        <div>
          <label htmlFor="audit-action">Action</label>
          <select id="audit-action" name="action" defaultValue={query.action ?? ""}>
            <option value="">All actions</option>
            {props.groups.map((g) => (
              <optgroup key={g.prefix} label={g.label}>
                <option value={g.prefix}>{`${g.label}: all (${g.prefix})`}</option>
                {g.actions.map((a) => (
                  <option key={a} value={a}>
                    {a}
                  </option>
                ))}
              </optgroup>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="audit-actor">Actor</label>
          <select id="audit-actor" name="actor" defaultValue={query.actor ?? ""}>
            <option value="">Anyone</option>
            {props.actors.map((a) => (
              <option key={a} value={a}>
                {a}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="audit-from">From (UTC)</label>
          <input id="audit-from" name="from" type="date" defaultValue={query.from ?? ""} />
        </div>
        <div>
          <label htmlFor="audit-to">To (UTC, included)</label>
          <input id="audit-to" name="to" type="date" defaultValue={query.to ?? ""} />
        </div>
        <div>
          <button type="submit">Apply filters</button> <Link href={props.basePath}>Clear</Link>
        </div>
      </form>
      {props.error && (
        <p role="alert" className="error">
          {props.error}
        </p>
      )}
      <table aria-label="Audit events">
        <thead>
          <tr>
            <th>When</th>
            <th>Who</th>
            <th>Action</th>
            <th>Target</th>
            <th>Details</th>
            <th>From</th>
          </tr>
        </thead>
        <tbody>
          {props.events.map((e) => (
            <tr key={e.id}>
              <td>
                <time dateTime={e.at.toISOString()}>{utc(e.at)}</time>
              </td>
              <td>{e.actor}</td>
              <td>
                <code>{e.action}</code>
              </td>
              <td>{e.target ?? "—"}</td>
              <td>
                <Details details={e.details} />
              </td>
              <td>
                {e.source}
                {e.ip ? ` · ${e.ip}` : ""}
              </td>
            </tr>
          ))}
          {props.events.length === 0 && (
            <tr>
              <td colSpan={6} className="muted">
                No events match.
              </td>
            </tr>
          )}
        </tbody>
      </table>
      <p className="row">
        {query.before && <Link href={href(props.basePath, filters)}>Newest events</Link>}
        {props.nextCursor && (
          <Link href={href(props.basePath, { ...filters, before: props.nextCursor })}>Older events</Link>
        )}
      </p>
    </section>
  );
}
