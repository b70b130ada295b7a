"use client";
import { useState } from "react";

export type SearchState = { query: string; matches: number[]; index: number; truncated: boolean };

/** Search, wrap, timestamps, the selected lines' link and the time between them. */
export function LogToolbar(p: {
  runId: string;
  total: number;
  wrap: boolean;
  onWrap: (v: boolean) => void;
  timestamps: boolean;
  onTimestamps: (v: boolean) => void;
  search: SearchState;
  onSearch: (q: string) => void;
  onStep: (delta: number) => void;
  selection: { from: number; to: number } | null;
  between: string | null;
}) {
  const [text, setText] = useState("");
  const [copied, setCopied] = useState(false);
  const { search } = p;
  const label =
    search.query === ""
      ? ""
      : search.matches.length === 0
        ? "no match"
        : `${search.index + 1} of ${search.matches.length}${search.truncated ? "+" : ""}`;
  return (
    <div className="log-toolbar" role="toolbar" aria-label="Log tools">
      <form
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          if (text === search.query && search.matches.length > 0) p.onStep(1);
          else p.onSearch(text);
        }}
      >
        <input
          type="search"
          aria-label="Search the log"
          placeholder="Search the log"
          value={text}
          onChange={(e) => setText(e.target.value)}
        />
        <button
          type="button"
          aria-label="Previous match"
          onClick={() => p.onStep(-1)}
          disabled={search.matches.length === 0}
        >
          ↑
        </button>
        <button
          type="button"
          aria-label="Next match"
          onClick={() => p.onStep(1)}
          disabled={search.matches.length === 0}
        >
          ↓
        </button>
        <span className="muted" aria-live="polite" data-testid="search-status">
          {label}
        </span>
      </form>
      <span className="spacer" />
      {p.selection && (
        <span className="muted" data-testid="selection">
          {p.selection.from === p.selection.to
            ? `L${p.selection.from}`
            : `L${p.selection.from}–L${p.selection.to}`}
          {p.between && ` · ${p.between} between`}{" "}
          <button
            type="button"
            onClick={() => {
              void navigator.clipboard?.writeText(window.location.href).then(() => setCopied(true));
            }}
          >
            {copied ? "Link copied" : "Copy link"}
          </button>
        </span>
      )}
      <label className="toggle">
        <input type="checkbox" checked={p.timestamps} onChange={(e) => p.onTimestamps(e.target.checked)} />{" "}
        Timestamps
      </label>
      <label className="toggle">
        <input type="checkbox" checked={p.wrap} onChange={(e) => p.onWrap(e.target.checked)} /> Wrap
      </label>
      <span className="muted">{p.total.toLocaleString()} lines</span>
    </div>
  );
}
