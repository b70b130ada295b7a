import type { LogChunk, RunEnd } from "./types";

export type HubEvent = { type: "chunk"; chunk: LogChunk } | { type: "end"; end: RunEnd } | { type: "state" };
type Listener = (event: HubEvent) => void;

type RunChannel = { listeners: Set<Listener>; unflushed: LogChunk[] };

/**
 * In-process fan-out of live output. The writer publishes each chunk the
 * moment it is read (so viewers see it before it is stored) and keeps it in
 * `unflushed` until its batch is committed; a new subscriber gets that
 * snapshot synchronously, so stored + snapshot + live never has a gap.
 */
export class LogHub {
  private channels = new Map<string, RunChannel>();

  private channel(runId: string): RunChannel {
    let ch = this.channels.get(runId);
    if (!ch) {
      ch = { listeners: new Set(), unflushed: [] };
      this.channels.set(runId, ch);
    }
    return ch;
  }

  private dropIfIdle(runId: string, ch: RunChannel) {
    if (ch.listeners.size === 0 && ch.unflushed.length === 0) this.channels.delete(runId);
  }

  subscribe(runId: string, listener: Listener): { unflushed: LogChunk[]; unsubscribe: () => void } {
    const ch = this.channel(runId);
    ch.listeners.add(listener);
    return {
      unflushed: ch.unflushed.slice(),
      unsubscribe: () => {
        ch.listeners.delete(listener);
        this.dropIfIdle(runId, ch);
      },
    };
  }

  publish(runId: string, chunk: LogChunk) {
    const ch = this.channel(runId);
    ch.unflushed.push(chunk);
    for (const l of ch.listeners) l({ type: "chunk", chunk });
  }

  /** Chunks up to `seq` are committed: stored reads serve them from now on. */
  flushed(runId: string, seq: number) {
    const ch = this.channels.get(runId);
    if (!ch) return;
    let n = 0;
    while (n < ch.unflushed.length && (ch.unflushed[n]?.seq ?? Infinity) <= seq) n++;
    if (n > 0) ch.unflushed.splice(0, n);
    this.dropIfIdle(runId, ch);
  }

  /** The run changed state (started, cancel requested). */
  state(runId: string) {
    const ch = this.channels.get(runId);
    if (ch) for (const l of ch.listeners) l({ type: "state" });
  }

  end(runId: string, end: RunEnd) {
    const ch = this.channels.get(runId);
    if (!ch) return;
    ch.unflushed = [];
    for (const l of ch.listeners) l({ type: "end", end });
    this.dropIfIdle(runId, ch);
  }

  listenerCount(runId: string): number {
    return this.channels.get(runId)?.listeners.size ?? 0;
  }
}

const key = Symbol.for("runops.logHub");
type WithHub = typeof globalThis & { [key]?: LogHub };

/** One hub per process, even when Next loads this module in several bundles. */
export function logHub(): LogHub {
  const g = globalThis as WithHub;
  g[key] ??= new LogHub();
  return g[key];
}
