"use client";
import { useCallback, useEffect, useRef, useState } from "react";
import type { Segment } from "@/lib/ansi/terminal-lines";
import { ApiCallError, eventData, getApi } from "@/lib/api/console-fetch";
import { linesResponse, logChunkEventSchema, runSchema, searchResponse } from "@/lib/api/schemas";
import type { RunView } from "@/lib/runs/run-view";
import { LogLine, parseLine } from "./log/log-line";
import { BLOCK, LogStore } from "./log/log-store";
import { LogToolbar, type SearchState } from "./log/log-toolbar";
import { LogViewport } from "./log/log-viewport";
import { ScrollModel } from "./log/scroll-model";
import { formatDuration } from "./run-format";

const TAIL = 1000;

type Selection = { from: number; to: number } | null;

function parseHash(hash: string): Selection {
  const m = /^#L(\d+)(?:-L?(\d+))?$/.exec(hash);
  if (!m) return null;
  const a = Number(m[1]);
  const b = m[2] ? Number(m[2]) : a;
  return { from: Math.min(a, b), to: Math.max(a, b) };
}

/**
 * The run's log, built for huge logs: it loads the last lines first, follows
 * live output over SSE (resuming after a drop with Last-Event-ID), fetches
 * earlier ranges only as they scroll into view, and keeps only the lines
 * near the screen in memory and in the DOM. ANSI is rendered as styled text.
 */
export function LogView({
  runId,
  onState,
  onEnd,
}: {
  runId: string;
  /** The run as the API shows it, sent over the same stream whenever its state changes. */
  onState: (run: RunView) => void;
  onEnd: () => void;
}) {
  const [, setVersion] = useState(0);
  const frame = useRef<number | null>(null);
  const repaint = useCallback(() => {
    if (frame.current !== null) return;
    frame.current = requestAnimationFrame(() => {
      frame.current = null;
      setVersion((v) => v + 1);
    });
  }, []);
  const [store] = useState(() => new LogStore());
  useEffect(() => store.subscribe(repaint), [store, repaint]);
  const [parsed] = useState(() => new Map<string, Segment[]>());
  const [model] = useState(() => new ScrollModel());
  const [follow, setFollow] = useState(true);
  const [ready, setReady] = useState(false);
  const [ended, setEnded] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [wrap, setWrap] = useState(false);
  const [timestamps, setTimestamps] = useState(false);
  const [selection, setSelection] = useState<Selection>(null);
  const anchor = useRef<number | null>(null);
  const [search, setSearch] = useState<SearchState>({ query: "", matches: [], index: -1, truncated: false });
  const onEndRef = useRef(onEnd);
  const onStateRef = useRef(onState);
  useEffect(() => {
    onEndRef.current = onEnd;
    onStateRef.current = onState;
  }, [onEnd, onState]);

  // Links and search: line n a third of the way down the viewport, whatever the rows' heights.
  const scrollToLine = useCallback(
    (n: number) => {
      model.setCount(store.total);
      model.toLine(n - 1);
      setFollow(false);
      repaint();
    },
    [model, store, repaint],
  );

  // Tail first, then live output after it.
  useEffect(() => {
    let source: EventSource | null = null;
    let cancelled = false;
    // A deep link on load, or one followed later on this page (#L120, #L120-L140).
    const followHash = () => {
      const linked = parseHash(window.location.hash);
      if (!linked) return;
      setSelection(linked);
      scrollToLine(linked.from);
    };
    void (async () => {
      let tail;
      try {
        tail = await getApi(`/api/v1/runs/${runId}/lines?tail=${TAIL}`, linesResponse);
      } catch (error) {
        const status = error instanceof ApiCallError ? error.status : "unexpected answer";
        setError(`Could not load the log (${status})`);
        return;
      }
      if (cancelled) return;
      store.absorb(tail, true);
      setReady(true);
      followHash();
      window.addEventListener("hashchange", followHash);
      source = new EventSource(`/api/v1/runs/${runId}/log?after=${tail.seq}`);
      source.addEventListener("chunk", (e) => {
        const c = eventData(e, logChunkEventSchema);
        store.append(c.text, c.stream, c.at);
      });
      source.addEventListener("state", (e) => onStateRef.current(eventData(e, runSchema)));
      source.addEventListener("end", () => {
        source?.close();
        setEnded(true);
        onEndRef.current();
      });
    })();
    return () => {
      cancelled = true;
      window.removeEventListener("hashchange", followHash);
      source?.close();
    };
  }, [runId, store, scrollToLine]);

  // Fetch what is rendered but not held; drop what is far away.
  const onRange = useCallback(
    (first: number, last: number) => {
      if (!ready) return;
      store.evictAround(Math.floor((first + last) / 2));
      for (const block of store.missingBlocks(first, last)) {
        store.markLoading(block, true);
        const from = block * BLOCK;
        // A block that fails to load stays missing: it is asked for again when next in view.
        void getApi(`/api/v1/runs/${runId}/lines?from=${from}&to=${from + BLOCK}`, linesResponse)
          .then((answer) => store.absorb(answer, false))
          .catch(() => {})
          .finally(() => store.markLoading(block, false));
      }
    },
    [ready, store, runId],
  );

  const onNumberClick = useCallback(
    (n: number, shift: boolean) => {
      const from = shift && anchor.current !== null ? Math.min(anchor.current, n) : n;
      const to = shift && anchor.current !== null ? Math.max(anchor.current, n) : n;
      if (!shift) anchor.current = n;
      setSelection({ from, to });
      model.setFollow(false);
      setFollow(false);
      window.history.replaceState(null, "", from === to ? `#L${from}` : `#L${from}-L${to}`);
    },
    [model],
  );

  const runSearch = useCallback(
    async (query: string) => {
      if (!query) {
        setSearch({ query: "", matches: [], index: -1, truncated: false });
        return;
      }
      const found = await getApi(
        `/api/v1/runs/${runId}/search?q=${encodeURIComponent(query)}`,
        searchResponse,
      ).catch(() => null);
      if (!found) return;
      const { matches, truncated } = found;
      setSearch({ query, matches, index: matches.length ? 0 : -1, truncated });
      if (matches[0] !== undefined) scrollToLine(matches[0]);
    },
    [runId, scrollToLine],
  );
  const step = (delta: number) => {
    if (search.matches.length === 0) return;
    const index = (search.index + delta + search.matches.length) % search.matches.length;
    setSearch({ ...search, index });
    const n = search.matches[index];
    if (n !== undefined) scrollToLine(n);
  };

  const segmentsOf = (index: number, text: string, stream: string) => {
    const key = `${index}:${text.length}:${text.slice(-16)}`;
    let segs = parsed.get(key);
    if (!segs) {
      if (parsed.size > 5000) parsed.clear();
      segs = parseLine(text, stream);
      parsed.set(key, segs);
    }
    return segs;
  };

  const current = search.matches[search.index];
  const total = store.total;
  const renderRow = (i: number, top: number) => {
    const line = store.get(i);
    const n = i + 1;
    return (
      <LogLine
        key={n}
        n={n}
        segments={line ? segmentsOf(i, line.text, line.stream) : null}
        stream={line?.stream ?? "stdout"}
        at={line?.at ?? null}
        top={top}
        selected={selection !== null && n >= selection.from && n <= selection.to}
        current={current === n}
        query={search.query}
        timestamps={timestamps}
        onNumberClick={onNumberClick}
      />
    );
  };

  // Shift-click on two lines: the time between them (at the resolution of stored chunks).
  const fromAt = selection ? store.get(selection.from - 1)?.at : undefined;
  const toAt = selection ? store.get(selection.to - 1)?.at : undefined;
  const between =
    selection && selection.from !== selection.to && fromAt && toAt
      ? formatDuration(Date.parse(toAt) - Date.parse(fromAt))
      : null;

  return (
    <div className={`log${wrap ? " wrap" : ""}${timestamps ? " with-ts" : ""}`} data-testid="log">
      <LogToolbar
        runId={runId}
        total={total}
        wrap={wrap}
        onWrap={setWrap}
        timestamps={timestamps}
        onTimestamps={setTimestamps}
        search={search}
        onSearch={(q) => void runSearch(q)}
        onStep={step}
        selection={selection}
        between={between}
      />
      <LogViewport
        model={model}
        total={total}
        wrap={wrap}
        timestamps={timestamps}
        renderRow={renderRow}
        onRange={onRange}
        onFollow={setFollow}
      >
        {total === 0 && (
          <div className="empty">
            {error ?? (!ready ? "Loading…" : ended ? "This run printed nothing." : "Waiting for output…")}
          </div>
        )}
      </LogViewport>
      {!follow && (
        <button
          className="jump"
          onClick={() => {
            model.toEnd();
            setFollow(true);
            repaint();
          }}
        >
          Jump to latest ↓
        </button>
      )}
    </div>
  );
}
