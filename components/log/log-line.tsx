import { type CSSProperties, memo } from "react";
import { type Segment, type Style, TerminalLines } from "@/lib/ansi/terminal-lines";
import { utcClock } from "../when";

export function parseLine(text: string, stream: string): Segment[] {
  const t = new TerminalLines();
  t.push(text, stream);
  t.finish();
  return t.lines[0]?.segments ?? [];
}

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

/** Splits text around case-insensitive matches of `query`, marking them. */
function highlight(text: string, query: string): Array<{ text: string; hit: boolean }> {
  if (!query) return [{ text, hit: false }];
  const out: Array<{ text: string; hit: boolean }> = [];
  const lower = text.toLowerCase();
  const needle = query.toLowerCase();
  let pos = 0;
  for (let i = lower.indexOf(needle); i !== -1; i = lower.indexOf(needle, i + needle.length)) {
    if (i > pos) out.push({ text: text.slice(pos, i), hit: false });
    out.push({ text: text.slice(i, i + needle.length), hit: true });
    pos = i + needle.length;
  }
  if (pos < text.length) out.push({ text: text.slice(pos), hit: false });
  return out;
}

type Props = {
  n: number;
  segments: Segment[] | null;
  stream: string;
  at: string | null;
  /** Position in the scroll space; absolute also when wrapped (the stylesheet makes wrapped rows static). */
  top: number;
  selected: boolean;
  current: boolean;
  query: string;
  timestamps: boolean;
  onNumberClick: (n: number, shift: boolean) => void;
};

/** One line: its number (a deep link), optional time, and styled text — text nodes only, never HTML. */
export const LogLine = memo(function LogLine(p: Props) {
  const cls = ["line", p.stream, p.selected ? "selected" : "", p.current ? "current" : ""].join(" ");
  return (
    <div className={cls} style={{ position: "absolute", top: p.top }} data-line={p.n}>
      <a
        className="no"
        href={`#L${p.n}`}
        onClick={(e) => {
          e.preventDefault();
          p.onNumberClick(p.n, e.shiftKey);
        }}
      >
        {p.n}
      </a>
      {p.timestamps && <span className="ts">{p.at ? utcClock(p.at) : ""}</span>}
      <span className="text">
        {p.segments === null ? (
          <span className="loading">…</span>
        ) : (
          p.segments.map((s, i) => (
            <span key={i} style={css(s.style)}>
              {highlight(s.text, p.query).map((h, j) => (h.hit ? <mark key={j}>{h.text}</mark> : h.text))}
            </span>
          ))
        )}
      </span>
    </div>
  );
});
