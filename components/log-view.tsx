"use client";
import { useCallback, useEffect, useRef, useState } from "react";
import type { Segment } from "@/lib/ansi/terminal-lines";
import { type RunView, runViewSchema } from "@/lib/runs/run-view";
import { LogLine, parseLine } from "./log/log-line";
import { BLOCK, type LineRangeAnswer, LogStore } from "./log/log-store";
import { LogToolbar, type SearchState } from "./log/log-toolbar";
import { formatDuration } from "./run-format";

const LINE_HEIGHT = 18;
const OVERSCAN = 30;
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
  const viewport = useRef<HTMLDivElement>(null);
  const [follow, setFollow] = useState(true);
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(600);
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

  // A line to bring into view once it exists in the rendered list (set by links, search).
  const scrollTarget = useRef<number | null>(null);
  const scrollToLine = useCallback(
    (n: number) => {
      setFollow(false);
      scrollTarget.current = n;
      repaint();
    },
    [repaint],
  );

  // Tail first, then live output after it.
  useEffect(() => {
    let source: EventSource | null = null;
    let cancelled = false;
    void (async () => {
      const res = await fetch(`/api/v1/runs/${runId}/lines?tail=${TAIL}`, { cache: "no-store" });
      if (!res.ok) {
        setError(`Could not load the log (${res.status})`);
        return;
      }
      const tail = (await res.json()) as LineRangeAnswer;
      if (cancelled) return;
      store.absorb(tail, true);
      setReady(true);
      const linked = parseHash(window.location.hash);
      if (linked) {
        setSelection(linked);
        scrollToLine(linked.from);
      }
      source = new EventSource(`/api/v1/runs/${runId}/log?after=${tail.seq}`);
      source.addEventListener("chunk", (e) => {
        const c = JSON.parse((e as MessageEvent<string>).data) as {
          text: string;
          stream: string;
          at: string;
        };
        store.append(c.text, c.stream, c.at);
      });
      source.addEventListener("state", (e) => {
        const run = runViewSchema.safeParse(JSON.parse((e as MessageEvent<string>).data));
        if (run.success) onStateRef.current(run.data);
      });
      source.addEventListener("end", () => {
        source?.close();
        setEnded(true);
        onEndRef.current();
      });
    })();
    return () => {
      cancelled = true;
      source?.close();
    };
  }, [runId, store, scrollToLine]);

  useEffect(() => {
    const el = viewport.current;
    if (!el) return;
    const observer = new ResizeObserver(() => setHeight(el.clientHeight));
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  const total = store.total;
  const first = Math.max(0, Math.floor(scrollTop / LINE_HEIGHT) - OVERSCAN);
  const last = Math.min(total, Math.ceil((scrollTop + height) / LINE_HEIGHT) + OVERSCAN);

  // Fetch what scrolled into view; drop what is far away.
  useEffect(() => {
    if (!ready) return;
    store.evictAround(Math.floor((first + last) / 2));
    for (const block of store.missingBlocks(first, last)) {
      store.markLoading(block, true);
      const from = block * BLOCK;
      void fetch(`/api/v1/runs/${runId}/lines?from=${from}&to=${from + BLOCK}`, { cache: "no-store" })
        .then(async (res) => {
          if (res.ok) store.absorb((await res.json()) as LineRangeAnswer, false);
        })
        .finally(() => store.markLoading(block, false));
    }
  });

  useEffect(() => {
    const el = viewport.current;
    if (!el) return;
    const target = scrollTarget.current;
    if (target !== null && target <= store.total) {
      scrollTarget.current = null;
      el.scrollTop = Math.max(0, (target - 1) * LINE_HEIGHT - el.clientHeight / 3);
    } else if (follow && target === null) el.scrollTop = el.scrollHeight;
  });

  const onNumberClick = useCallback((n: number, shift: boolean) => {
    const from = shift && anchor.current !== null ? Math.min(anchor.current, n) : n;
    const to = shift && anchor.current !== null ? Math.max(anchor.current, n) : n;
    if (!shift) anchor.current = n;
    setSelection({ from, to });
    setFollow(false);
    window.history.replaceState(null, "", from === to ? `#L${from}` : `#L${from}-L${to}`);
  }, []);

  const runSearch = useCallback(
    async (query: string) => {
      if (!query) {
        setSearch({ query: "", matches: [], index: -1, truncated: false });
        return;
      }
      const res = await fetch(`/api/v1/runs/${runId}/search?q=${encodeURIComponent(query)}`, {
        cache: "no-store",
      });
      if (!res.ok) return;
      const { matches, truncated } = (await res.json()) as { matches: number[]; truncated: boolean };
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
  const rows = [];
  for (let i = first; i < last; i++) {
    const line = store.get(i);
    const n = i + 1;
    rows.push(
      <LogLine
        key={n}
        n={n}
        segments={line ? segmentsOf(i, line.text, line.stream) : null}
        stream={line?.stream ?? "stdout"}
        at={line?.at ?? null}
        top={wrap ? null : i * LINE_HEIGHT}
        selected={selection !== null && n >= selection.from && n <= selection.to}
        current={current === n}
        query={search.query}
        timestamps={timestamps}
        onNumberClick={onNumberClick}
      />,
    );
  }

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
      <div
        className="viewport"
        ref={viewport}
        role="log"
        aria-live="off"
        aria-label="Run log"
        tabIndex={0}
        onScroll={(e) => {
          const el = e.currentTarget;
          setScrollTop(el.scrollTop);
          setFollow(el.scrollTop + el.clientHeight >= el.scrollHeight - LINE_HEIGHT);
        }}
      >
        {wrap ? (
          <div>
            <div style={{ height: first * LINE_HEIGHT }} />
            {rows}
            <div style={{ height: Math.max(0, total - last) * LINE_HEIGHT }} />
          </div>
        ) : (
          <div style={{ height: total * LINE_HEIGHT, position: "relative" }}>{rows}</div>
        )}
        {total === 0 && (
          <div className="empty">
            {error ?? (!ready ? "Loading…" : ended ? "This run printed nothing." : "Waiting for output…")}
          </div>
        )}
      </div>
      {!follow && (
        <button
          className="jump"
          onClick={() => {
            setFollow(true);
            const el = viewport.current;
            if (el) el.scrollTop = el.scrollHeight;
          }}
        >
          Jump to latest ↓
        </button>
      )}
    </div>
  );
}
