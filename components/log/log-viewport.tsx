"use client";
import { type ReactNode, useCallback, useEffect, useLayoutEffect, useRef, useState } from "react";
import type { ScrollModel } from "./scroll-model";

/** A scroll within this long after a wheel, key or touch event is the reader's own, moved by pixels. */
const INPUT_MS = 300;
/** Layout passes in one frame before the rest waits for the next frame (rows measured in a loop). */
const MAX_PASSES = 8;

type Props = {
  model: ScrollModel;
  total: number;
  wrap: boolean;
  timestamps: boolean;
  /** One line's row, placed at `top` in the scroll space. */
  renderRow: (index: number, top: number) => ReactNode;
  /** The rendered lines [first, last), after every layout: fetch what is missing. */
  onRange: (first: number, last: number) => void;
  onFollow: (follow: boolean) => void;
  children?: ReactNode;
};

/**
 * The log's scroll container: renders the rows the model places, measures them when wrapped,
 * turns the reader's scrolls into model moves and writes the model's scrollTop back. The
 * region with role "log" named "Run log", with a `data-line` on every row.
 */
export function LogViewport({
  model,
  total,
  wrap,
  timestamps,
  renderRow,
  onRange,
  onFollow,
  children,
}: Props) {
  const viewport = useRef<HTMLDivElement>(null);
  const layer = useRef<HTMLDivElement>(null);
  const [, setVersion] = useState(0);
  const bump = useCallback(() => setVersion((v) => v + 1), []);
  /** The scrollTop last read from or written to the DOM: any other value is the reader's scroll. */
  const known = useRef(0);
  const lastInput = useRef(-Infinity);
  const passes = useRef(0);
  const following = useRef<boolean | null>(null);
  const [width, setWidth] = useState(0);

  const userScroll = useCallback(
    (s: number) => {
      const el = viewport.current;
      known.current = s;
      // Fresh first: a resize (a scrollbar gone) clamps scrollTop, and the end must still read as the end.
      if (el) model.setViewport(el.clientHeight);
      model.scrolled(s, performance.now() - lastInput.current < INPUT_MS);
    },
    [model],
  );

  // A wrapped row can change height after it was measured (fonts, width): measure again then.
  const rowObserver = useRef<ResizeObserver | null>(null);
  const observed = useRef(new Set<Element>());
  useEffect(() => {
    const observer = new ResizeObserver(() => bump());
    rowObserver.current = observer;
    return () => observer.disconnect();
  }, [bump]);

  useEffect(() => {
    const el = viewport.current;
    if (!el) return;
    const observer = new ResizeObserver(() => {
      model.setViewport(el.clientHeight);
      setWidth(el.clientWidth);
      bump();
    });
    observer.observe(el);
    return () => observer.disconnect();
  }, [model, bump]);

  // The log is what a run page is for: once it has lines, the whole viewport comes into the
  // window (on a short screen the cards above would leave its tail below the fold), unless the
  // reader has scrolled the page already.
  const shown = useRef(false);
  useEffect(() => {
    if (shown.current || total === 0 || window.scrollY > 0) return;
    shown.current = true;
    viewport.current?.scrollIntoView({ block: "nearest" });
  }, [total]);

  model.setCount(total);
  // Whatever changes how lines wrap makes the measured heights stale.
  model.layout(wrap, `${timestamps}|${wrap ? width : 0}`);
  const rows = model.rows();
  const first = rows[0]?.index ?? 0;
  const last = (rows.at(-1)?.index ?? -1) + 1;

  useLayoutEffect(() => {
    const el = viewport.current;
    if (!el) return;
    model.setViewport(el.clientHeight);
    // The reader wins over the pin: a scroll whose event has not fired yet is taken first.
    if (Math.abs(el.scrollTop - known.current) >= 1) userScroll(el.scrollTop);
    const seen = new Set<Element>();
    if (wrap && layer.current) {
      for (const row of layer.current.children) {
        if (!(row instanceof HTMLElement) || !row.dataset.line) continue;
        model.measure(Number(row.dataset.line) - 1, row.offsetHeight);
        seen.add(row);
        if (!observed.current.has(row)) rowObserver.current?.observe(row);
      }
    }
    for (const row of observed.current) if (!seen.has(row)) rowObserver.current?.unobserve(row);
    observed.current = seen;
    if (model.follow) model.toEnd();
    else model.settle();
    if (model.stale()) {
      // Lay the rows out again before scrollTop moves, so that nothing jumps on screen.
      if (passes.current++ < MAX_PASSES) bump();
      else requestAnimationFrame(bump);
      return;
    }
    passes.current = 0;
    if (Math.abs(el.scrollTop - model.scrollTop) >= 1) el.scrollTop = model.scrollTop;
    known.current = el.scrollTop;
    if (following.current !== model.follow) {
      following.current = model.follow;
      onFollow(model.follow);
    }
    onRange(first, last);
  });

  const markInput = () => {
    lastInput.current = performance.now();
  };

  return (
    <div
      className="viewport"
      ref={viewport}
      role="log"
      aria-live="off"
      aria-label="Run log"
      tabIndex={0}
      style={{ overflowAnchor: "none" }}
      onWheel={markInput}
      onKeyDown={markInput}
      onTouchStart={markInput}
      onTouchMove={markInput}
      onScroll={(e) => {
        const s = e.currentTarget.scrollTop;
        if (Math.abs(s - known.current) < 1) return; // our own write
        userScroll(s);
        bump();
      }}
    >
      <div ref={layer} style={{ height: model.space, position: "relative" }}>
        {rows.map((r) => renderRow(r.index, r.top))}
      </div>
      {children}
    </div>
  );
}
