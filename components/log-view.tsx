"use client";
import { type CSSProperties, useCallback, useEffect, useRef, useState } from "react";
import { type Style, type TerminalLine, TerminalLines } from "@/lib/ansi/terminal-lines";

const LINE_HEIGHT = 18;
const OVERSCAN = 20;

function css(style: Style): CSSProperties | undefined {
  if (Object.keys(style).length === 0) return undefined;
  const fg = style.inverse ? (style.bg ?? "var(--log-bg)") : style.fg;
  const bg = style.inverse ? (style.fg ?? "var(--log-text)") : style.bg;
  return {
    color: fg,
    backgroundColor: bg,
    fontWeight: style.bold ? 700 : undefined,
    opacity: style.dim ? 0.7 : undefined,
    fontStyle: style.italic ? "italic" : undefined,
    textDecoration: style.underline ? "underline" : undefined,
  };
}

/**
 * The live log: Server-Sent Events (the browser resumes with Last-Event-ID
 * after a drop), ANSI rendered as styled text, only the visible lines in the
 * DOM, following new output unless the reader scrolled up.
 */
export function LogView({ runId, onEnd }: { runId: string; onEnd: () => void }) {
  // Mutated in place as output arrives; `version` tells React to look again.
  const [term] = useState(() => new TerminalLines());
  const viewport = useRef<HTMLDivElement>(null);
  const [version, setVersion] = useState(0);
  const [follow, setFollow] = useState(true);
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(600);
  const [ended, setEnded] = useState(false);
  const frame = useRef<number | null>(null);
  const onEndRef = useRef(onEnd);
  useEffect(() => {
    onEndRef.current = onEnd;
  }, [onEnd]);

  const repaint = useCallback(() => {
    if (frame.current !== null) return;
    frame.current = requestAnimationFrame(() => {
      frame.current = null;
      setVersion((v) => v + 1);
    });
  }, []);

  useEffect(() => {
    const source = new EventSource(`/api/v1/runs/${runId}/log`);
    source.addEventListener("chunk", (e) => {
      const { text, stream } = JSON.parse((e as MessageEvent<string>).data) as {
        text: string;
        stream: string;
      };
      term.push(text, stream);
      repaint();
    });
    source.addEventListener("end", () => {
      source.close();
      term.finish();
      setEnded(true);
      repaint();
      onEndRef.current();
    });
    return () => source.close();
  }, [runId, repaint, term]);

  useEffect(() => {
    const el = viewport.current;
    if (!el) return;
    const observer = new ResizeObserver(() => setHeight(el.clientHeight));
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  const lines: TerminalLine[] = term.lines;
  const partial = term.partial();
  void version;
  const total = lines.length + (partial ? 1 : 0);

  useEffect(() => {
    const el = viewport.current;
    if (follow && el) el.scrollTop = el.scrollHeight;
  });

  const first = Math.max(0, Math.floor(scrollTop / LINE_HEIGHT) - OVERSCAN);
  const last = Math.min(total, Math.ceil((scrollTop + height) / LINE_HEIGHT) + OVERSCAN);
  const visible: Array<{ n: number; line: TerminalLine }> = [];
  for (let i = first; i < last; i++) {
    const line = i < lines.length ? lines[i] : partial;
    if (line) visible.push({ n: i, line });
  }

  return (
    <div className="log" data-testid="log">
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
        <div style={{ height: total * LINE_HEIGHT, position: "relative" }}>
          {visible.map(({ n, line }) => (
            <div key={n} className={`line ${line.stream}`} style={{ top: n * LINE_HEIGHT }} data-line={n + 1}>
              <span className="no">{n + 1}</span>
              <span className="text">
                {line.segments.map((s, i) => (
                  <span key={i} style={css(s.style)}>
                    {s.text}
                  </span>
                ))}
              </span>
            </div>
          ))}
        </div>
        {total === 0 && (
          <div className="empty">{ended ? "This run printed nothing." : "Waiting for output…"}</div>
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
