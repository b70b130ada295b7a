/** Height of an unwrapped line (the stylesheet's `.log .line`); also the first guess for a wrapped one. */
export const ROW = 18;
/**
 * The tallest scroll space the viewer makes: under Firefox's element-height cap (about 17.9M px;
 * Chromium's is about 33.5M). Longer logs are scaled: the scrollbar maps to line numbers.
 */
export const MAX_SPACE = 15_000_000;
/** Rows rendered beyond each edge of the viewport, in pixels. */
const OVERSCAN_PX = 540;
/** At most this many rows are walked or rendered at once (a guard against runaway loops). */
const WALK_LIMIT = 4000;

export type Row = { index: number; top: number };

/**
 * Where the log's lines sit in the scroll container, for logs of any length and rows of any
 * height. Rows are placed relative to one anchor line (its top at `base`, in the spacer's
 * coordinates), never at `index × height` from the top, so:
 *
 * - the spacer is at most MAX_SPACE tall; a scrollbar drag or a script's jump maps scrollTop to
 *   a line number proportionally (scaled scrolling), while wheel, keys and touch move the rows by
 *   exactly the pixels scrolled, line by line;
 * - measured (wrapped) rows push their neighbours without moving the anchor line on screen;
 * - when line 1 is among the rendered rows it is placed exactly at the top of the space, and the
 *   last line exactly at its bottom, so scrolling to either end always reaches it.
 *
 * Pure state: the view reads `rows()`, `space` and `scrollTop`, and writes what the DOM did.
 */
export class ScrollModel {
  count = 0;
  /** The viewport's clientHeight. */
  viewport = 600;
  /** Spacer height. */
  space = 0;
  anchor = 0;
  base = 0;
  /** The scrollTop the rows are laid out for. */
  scrollTop = 0;
  /** Pinned to the end: new lines keep the last one in view. */
  follow = true;
  private wrap = false;
  /** The anchor is a line brought into view by toLine, and the reader has not scrolled since. */
  private pinned = false;
  private layoutKey = "";
  private renderedSignature = "";
  private heights = new Map<number, number>();
  private sum = 0;
  /** Bumped on every measured change, so the view knows its layout is stale. */
  private measuredVersion = 0;

  get estimate(): number {
    return this.wrap && this.heights.size > 0 ? this.sum / this.heights.size : ROW;
  }

  height(index: number): number {
    return this.wrap ? (this.heights.get(index) ?? this.estimate) : ROW;
  }

  get maxScroll(): number {
    return Math.max(0, this.space - this.viewport);
  }

  /** Fractional line index at the top of the viewport when scrolled to the end (estimated). */
  private get maxTop(): number {
    return Math.max(0, this.count - this.viewport / this.estimate);
  }

  /** The scrollTop that corresponds to fractional top line `p` in the proportional mapping. */
  private ideal(p: number): number {
    return this.maxTop > 0 ? (p / this.maxTop) * this.maxScroll : 0;
  }

  /** Changes for everything that decides the rows' positions. */
  private signature(): string {
    return `${this.count}|${this.space}|${this.anchor}|${this.base}|${this.measuredVersion}|${this.viewport}`;
  }

  /** The rows last returned by `rows()` are no longer where the model would put them. */
  stale(): boolean {
    return this.signature() !== this.renderedSignature;
  }

  setCount(count: number) {
    this.count = count;
  }

  setViewport(height: number) {
    this.viewport = height;
  }

  setFollow(follow: boolean) {
    this.follow = follow;
  }

  /**
   * Wrap on or off, and a key for whatever else changes how lines wrap (width, timestamps): on a
   * change the measured heights are forgotten; the line at the top stays at the top.
   */
  layout(wrap: boolean, key: string) {
    if (wrap === this.wrap && key === this.layoutKey) return;
    // A linked line stays where it is; otherwise the line at the top does.
    if (!this.pinned) this.normalize();
    this.wrap = wrap;
    this.layoutKey = key;
    this.heights.clear();
    this.sum = 0;
    this.measuredVersion++;
  }

  /** A rendered row's height (wrap only). */
  measure(index: number, h: number) {
    if (!this.wrap || h <= 0) return;
    const old = this.heights.get(index);
    if (old === h) return;
    if (this.heights.size > 50_000) {
      this.heights.clear();
      this.sum = 0;
    }
    this.sum += h - (old ?? 0);
    this.heights.set(index, h);
    this.measuredVersion++;
  }

  /** The rows to render: those within the viewport plus a margin, with their tops. */
  rows(): Row[] {
    this.renderedSignature = this.signature();
    if (this.count === 0) return [];
    const lo = this.scrollTop - OVERSCAN_PX;
    const hi = this.scrollTop + this.viewport + OVERSCAN_PX;
    const up: Row[] = [];
    for (let i = this.anchor, top = this.base; i > 0 && top > lo && up.length < WALK_LIMIT;) {
      i--;
      top -= this.height(i);
      up.push({ index: i, top });
    }
    const rows = up.reverse();
    for (let i = this.anchor, top = this.base; i < this.count && top < hi && rows.length < WALK_LIMIT; i++) {
      rows.push({ index: i, top });
      top += this.height(i);
    }
    return rows;
  }

  /** The line containing spacer coordinate `y` and its top, walking from the anchor. */
  private locate(y: number): Row {
    let index = this.anchor;
    let top = this.base;
    for (let n = 0; n < WALK_LIMIT && index < this.count - 1; n++) {
      const h = this.height(index);
      if (top + h > y) break;
      top += h;
      index++;
    }
    for (let n = 0; n < WALK_LIMIT && index > 0 && top > y; n++) {
      index--;
      top -= this.height(index);
    }
    return { index, top };
  }

  /** Makes the anchor the line at the viewport's top. */
  private normalize() {
    const { index, top } = this.locate(this.scrollTop);
    this.anchor = index;
    this.base = top;
  }

  /** The fractional line index at the viewport's top. */
  private topLine(): number {
    const { index, top } = this.locate(this.scrollTop);
    return index + Math.max(0, Math.min(1, (this.scrollTop - top) / this.height(index)));
  }

  /** Puts fractional line `p` at the viewport's top, with scrollTop `s`. */
  private place(p: number, s: number) {
    const clamped = Math.max(0, Math.min(this.count - 1, p));
    this.anchor = Math.floor(clamped);
    this.scrollTop = s;
    this.base = s - (clamped - this.anchor) * this.height(this.anchor);
  }

  /**
   * The reader scrolled to `s`. `input` says a wheel, key or touch did it: the rows move by the
   * pixels scrolled. Otherwise (scrollbar, script) the move is proportional to the line count.
   */
  scrolled(s: number, input: boolean) {
    const d = s - this.scrollTop;
    if (d === 0) return;
    this.pinned = false;
    const p = this.topLine();
    const perPx = this.maxScroll > 0 ? this.maxTop / this.maxScroll : 0;
    if (s <= 0) this.place(0, 0);
    else if (s >= this.maxScroll - 1) this.placeEnd();
    else if (input) {
      this.scrollTop = s;
      this.normalize();
    } else if (Math.abs(d) <= this.viewport) this.place(p + d * perPx, s);
    else this.place(s * perPx, s);
    this.follow = s >= this.maxScroll - 1;
    this.settle();
  }

  private placeEnd() {
    this.anchor = Math.max(0, this.count - 1);
    this.base = this.space - this.height(this.anchor);
    this.scrollTop = this.maxScroll;
  }

  /** Pins the last line to the bottom of the viewport. */
  toEnd() {
    this.follow = true;
    this.pinned = false;
    this.settle();
    this.placeEnd();
    this.settle();
    this.scrollTop = this.maxScroll;
  }

  /** Brings line `index` into view, a third of the way down, and stops following. */
  toLine(index: number) {
    this.follow = false;
    this.settle();
    const i = Math.max(0, Math.min(this.count - 1, index));
    const offset = Math.floor(this.viewport / 3);
    const s = Math.max(0, Math.min(this.maxScroll, this.ideal(Math.max(0, i - offset / this.estimate))));
    this.anchor = i;
    this.scrollTop = s;
    this.base = s + offset;
    this.pinned = true;
    this.settle();
  }

  /**
   * Keeps the layout honest after any change (lines added, rows measured, a scroll): the space's
   * height, line 1 at the very top and the last line at the very bottom when they are rendered,
   * and otherwise scrollTop within reach of the proportional mapping, so that both ends can
   * always be scrolled to. Every correction moves the rows and scrollTop together: nothing on
   * screen moves.
   */
  settle() {
    if (this.count === 0) {
      Object.assign(this, { space: 0, anchor: 0, base: 0, scrollTop: 0 });
      return;
    }
    if (this.anchor > this.count - 1) {
      this.base = 0;
      this.anchor = 0;
    }
    this.space = Math.min(this.count * this.estimate, MAX_SPACE);
    const rows = this.rows();
    const first = rows[0];
    const last = rows[rows.length - 1];
    let shift = 0;
    if (first && last && first.index === 0) {
      if (last.index === this.count - 1) this.space = last.top + this.height(last.index) - first.top;
      shift = -first.top;
    } else if (last && last.index === this.count - 1) {
      shift = this.space - (last.top + this.height(last.index));
    } else {
      const s = this.scrollTop;
      const max = this.maxScroll;
      const drift = s - this.ideal(this.topLine());
      const tolerance = Math.min(Math.max(2 * this.viewport, max / 100), s / 2, (max - s) / 2);
      if (Math.abs(drift) > Math.max(0, tolerance)) shift = -drift;
    }
    this.base += shift;
    this.scrollTop = Math.max(0, Math.min(this.maxScroll, this.scrollTop + shift));
  }
}
