"use client";
import { useInfiniteQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import { getApi } from "@/lib/api/console-fetch";
import { type RunsPage, runsResponse } from "@/lib/api/schemas";
import { RelativeTime } from "./relative-time";
import { formatDuration, runDuration, stateLabel } from "./run-format";
import { useNow } from "./use-now";

/** One page of the history from the public API (`base` is the environment's API path). */
async function fetchPage(
  base: string,
  filters: Record<string, string>,
  cursor: string | null,
): Promise<RunsPage> {
  const qs = new URLSearchParams(Object.entries(filters).filter(([, v]) => v !== ""));
  if (cursor) qs.set("cursor", cursor);
  return getApi(`${base}/runs?${qs}`, runsResponse);
}

/**
 * Calls `onChange` (at most every 250 ms) whenever the server announces that a
 * run of the environment was created, started, asked to cancel or ended.
 */
function useRunChanges(url: string, onChange: () => void) {
  const latest = useRef(onChange);
  useEffect(() => {
    latest.current = onChange;
  }, [onChange]);
  useEffect(() => {
    const source = new EventSource(url);
    let timer: number | null = null;
    const changed = () => {
      timer ??= window.setTimeout(() => {
        timer = null;
        latest.current();
      }, 250);
    };
    source.addEventListener("run", changed);
    source.addEventListener("resync", changed);
    // After a reconnect, what happened meanwhile was not announced.
    let opened = false;
    source.addEventListener("open", () => {
      if (opened) changed();
      opened = true;
    });
    return () => {
      source.close();
      if (timer !== null) window.clearTimeout(timer);
    };
  }, [url]);
}

/** The environment's runs, newest first, with filters; updated as the server announces changes. */
export function RunHistory(props: {
  environmentId: string;
  projectSlug: string;
  envName: string;
  operationNames: string[];
  people: Array<{ id: string; name: string; email: string }>;
}) {
  const router = useRouter();
  const queryClient = useQueryClient();
  const [filters, setFilters] = useState({ operation: "", state: "", result: "", user: "" });
  const query = useInfiniteQuery({
    queryKey: ["runs", props.environmentId, filters],
    queryFn: ({ pageParam }) =>
      fetchPage(
        `/api/v1/projects/${encodeURIComponent(props.projectSlug)}/environments/${encodeURIComponent(props.envName)}`,
        filters,
        pageParam,
      ),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });
  useRunChanges(
    `/api/v1/projects/${encodeURIComponent(props.projectSlug)}/environments/${encodeURIComponent(props.envName)}/runs/events`,
    () => void queryClient.invalidateQueries({ queryKey: ["runs", props.environmentId] }),
  );
  const runs = query.data?.pages.flatMap((p) => p.runs) ?? [];
  const now = useNow(1000);
  const set = (k: keyof typeof filters) => (e: React.ChangeEvent<HTMLSelectElement>) =>
    setFilters((f) => ({ ...f, [k]: e.target.value }));

  return (
    <section aria-label="Run history">
      <div className="filters">
        <div>
          <label htmlFor="f-op">Operation</label>
          <select id="f-op" value={filters.operation} onChange={set("operation")}>
            <option value="">All operations</option>
            {props.operationNames.map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="f-state">State</label>
          <select id="f-state" value={filters.state} onChange={set("state")}>
            <option value="">All states</option>
            {Object.entries(stateLabel).map(([v, l]) => (
              <option key={v} value={v}>
                {l}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="f-result">Result</label>
          <select id="f-result" value={filters.result} onChange={set("result")}>
            <option value="">All results</option>
            <option value="success">success</option>
            <option value="failure">failure</option>
          </select>
        </div>
        <div>
          <label htmlFor="f-user">Who</label>
          <select id="f-user" value={filters.user} onChange={set("user")}>
            <option value="">Anyone</option>
            {props.people.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name || p.email}
              </option>
            ))}
          </select>
        </div>
      </div>
      {query.isError && <p className="error">{query.error.message}</p>}
      <table aria-label="Runs">
        <thead>
          <tr>
            <th>Operation</th>
            <th>App</th>
            <th>State</th>
            <th>Result</th>
            <th>Who</th>
            <th>When</th>
            <th>Duration</th>
          </tr>
        </thead>
        <tbody>
          {runs.map((r) => {
            const d = runDuration(r, now);
            return (
              <tr key={r.id} className="clickable" onClick={() => router.push(`/runs/${r.id}`)}>
                <td>
                  <Link href={`/runs/${r.id}`}>{r.operation}</Link>
                </td>
                <td>{r.worker ? `${r.app} › ${r.worker}` : r.app}</td>
                <td>
                  <span className={`badge ${r.state}`}>{stateLabel[r.state]}</span>
                </td>
                <td>{r.result ? <span className={`badge ${r.result}`}>{r.result}</span> : "—"}</td>
                <td>{r.triggeredBy.name || r.triggeredBy.email}</td>
                <td>
                  <RelativeTime at={r.createdAt} />
                </td>
                <td>{d === null ? "—" : formatDuration(d)}</td>
              </tr>
            );
          })}
          {runs.length === 0 && !query.isPending && (
            <tr>
              <td colSpan={7} className="muted">
                No runs match.
              </td>
            </tr>
          )}
        </tbody>
      </table>
      {query.hasNextPage && (
        <p>
          <button onClick={() => void query.fetchNextPage()} disabled={query.isFetchingNextPage}>
            Load older runs
          </button>
        </p>
      )}
    </section>
  );
}
