import type { Lines } from "@/lib/api/schemas";

/** A line as the viewer holds it: raw text (ANSI parsed at render), stream, time. */
export type RawLine = { text: string; stream: string; at: string | null };
/** What the store takes from GET /runs/{id}/lines (`Lines`, lib/api/schemas.ts): only what it keeps. */
type LinesAnswer = Pick<Lines, "total" | "seq" | "partial"> & { lines: Array<RawLine & { n: number }> };

export const BLOCK = 500;
/** Lines kept in memory; farther ones are dropped and fetched again if scrolled back to. */
const KEEP = 20_000;

/**
 * The part of a run's log the page holds: a sparse map of lines around what
 * is on screen, the total count, and the live tail appended from SSE chunks.
 * Never the whole of a huge log.
 */
export class LogStore {
  total = 0;
  /** The last line is still open (no newline yet): live text continues it. */
  private openTail = false;
  private lines = new Map<number, RawLine>();
  private loading = new Set<number>();

  private listener: () => void = () => {};

  /** The view's repaint, called after every change. */
  subscribe(listener: () => void): () => void {
    this.listener = listener;
    return () => {
      this.listener = () => {};
    };
  }

  get(index: number): RawLine | undefined {
    return this.lines.get(index);
  }

  has(index: number) {
    return this.lines.has(index);
  }

  /** Takes a range answer from the server; lines already held (maybe newer, live) are kept. */
  absorb(answer: LinesAnswer, isTail: boolean) {
    if (isTail) {
      this.total = Math.max(this.total, answer.total);
      this.openTail = answer.partial;
    }
    for (const l of answer.lines)
      if (!this.lines.has(l.n - 1)) this.lines.set(l.n - 1, { text: l.text, stream: l.stream, at: l.at });
    this.bump();
  }

  /** Live output: text continues the open last line; each newline closes one. */
  append(text: string, stream: string, at: string) {
    let start = 0;
    for (;;) {
      const nl = text.indexOf("\n", start);
      const piece = nl === -1 ? text.slice(start) : text.slice(start, nl);
      const last = this.openTail ? this.lines.get(this.total - 1) : undefined;
      if (this.openTail && last) last.text += piece;
      else if (this.openTail) this.lines.set(this.total - 1, { text: piece, stream, at });
      else if (piece !== "" || nl !== -1) {
        this.lines.set(this.total, { text: piece, stream, at });
        this.total++;
        this.openTail = true;
      }
      if (nl === -1) break;
      this.openTail = false;
      start = nl + 1;
    }
    this.bump();
  }

  /** Blocks of lines in [first, last) that are neither held nor being fetched. */
  missingBlocks(first: number, last: number): number[] {
    const out: number[] = [];
    for (let b = Math.floor(first / BLOCK); b * BLOCK < Math.min(last, this.total); b++) {
      if (this.loading.has(b)) continue;
      const start = b * BLOCK;
      const end = Math.min(this.total, start + BLOCK);
      for (let i = Math.max(start, first); i < Math.min(end, last); i++) {
        if (!this.lines.has(i)) {
          out.push(b);
          break;
        }
      }
    }
    return out;
  }

  markLoading(block: number, loading: boolean) {
    if (loading) this.loading.add(block);
    else this.loading.delete(block);
  }

  /** Drops lines far from what is on screen, keeping the open tail. */
  evictAround(center: number) {
    if (this.lines.size <= KEEP) return;
    for (const index of this.lines.keys()) {
      if (Math.abs(index - center) > KEEP / 2 && index !== this.total - 1) this.lines.delete(index);
    }
  }

  private bump() {
    this.listener();
  }
}
