import type { Db } from "../db/client";
import { runEvents } from "../events/process-channel";
import type { ChannelMessage, RunEventChannel } from "../events/run-events";
import { readChunks } from "./read-log";
import type { LogChunk } from "./types";

/**
 * The recent output the hub keeps per watched run. Viewers that keep up (and
 * late joiners) read from it without a database read; one that falls further
 * behind goes back to storage, so no viewer ever holds more than this.
 */
export const WINDOW_BYTES = 8 * 1024 * 1024;

/**
 * What the hub keeps of older output that viewers behind the window read
 * (they usually fall behind together: 100 viewers of a flood): one storage
 * read and one SSE encoding serve them all, and the memory stays bounded.
 */
export const BEHIND_BYTES = 16 * 1024 * 1024;
/** One storage read for viewers behind the window. */
const BEHIND_PAGE_BYTES = 1024 * 1024;

/** What the hub can give a viewer whose cursor is at `last`. */
export type Next =
  | { kind: "chunk"; chunk: LogChunk }
  /** `last` is older than the window: read storage after it. */
  | { kind: "behind" }
  /** Nothing after `last` yet (as far as the hub has read). */
  | { kind: "caught-up" };

/** A viewer's wake-up call: `changed` means "read the run's row" (started, cancel, end, resync). */
type Listener = (changed: boolean) => void;

type Watched = {
  listeners: Set<Listener>;
  /** Contiguous chunks ending at `readTo`, from index `head` on (dropped ones are compacted away in bulk). */
  window: Array<LogChunk | undefined>;
  head: number;
  windowBytes: number;
  /** The last seq the hub has read (or knew to be stored when it began watching). */
  readTo: number;
  /** The last seq a worker announced as stored. */
  target: number;
  /** Set while the hub learns where the stored log ends: nothing is read before it. */
  ready: Promise<void>;
  reading: boolean;
  /** Read until storage has nothing more (a lost announcement, a resync). */
  drain: boolean;
  /** Older chunks read for viewers behind the window, oldest first out. */
  behind: Map<number, LogChunk>;
  behindBytes: number;
  /** Storage reads under way for viewers behind, by the seq they read after. */
  reads: Map<number, Promise<void>>;
};

/**
 * The console's fan-out of live output. Workers store output and announce
 * "stored up to seq N" on the run event channel; for each watched run the
 * hub reads each new range once into a bounded window shared by every viewer
 * of this process. Viewers pull from the window at their own pace: a stalled
 * one costs a cursor, not a queue (it falls out of the window and later
 * reads storage by range).
 */
export class LogHub {
  private runs = new Map<string, Watched>();

  constructor(
    private readonly db: Db,
    channel: RunEventChannel,
  ) {
    channel.subscribe((message) => this.onMessage(message));
  }

  /**
   * Watches the run for `listener` (called on new output and on changes);
   * resolves once the hub knows where the stored log ends.
   */
  async subscribe(runId: string, listener: Listener): Promise<() => void> {
    let run = this.runs.get(runId);
    if (!run) {
      const watched: Watched = {
        listeners: new Set(),
        window: [],
        head: 0,
        windowBytes: 0,
        readTo: 0,
        target: 0,
        ready: Promise.resolve(),
        reading: false,
        drain: false,
        behind: new Map(),
        behindBytes: 0,
        reads: new Map(),
      };
      // Registered before the read: an announcement made meanwhile raises `target`, none is missed.
      this.runs.set(runId, watched);
      watched.ready = this.db.run
        .findUnique({ where: { id: runId }, select: { logSeq: true } })
        .then((row) => {
          watched.readTo = Math.max(watched.readTo, row?.logSeq ?? 0);
          if (watched.target > watched.readTo) void this.pump(runId, watched);
        });
      run = watched;
    }
    run.listeners.add(listener);
    const watched = run;
    const unsubscribe = () => {
      watched.listeners.delete(listener);
      if (watched.listeners.size === 0 && this.runs.get(runId) === watched) this.runs.delete(runId);
    };
    try {
      await watched.ready;
    } catch (error) {
      unsubscribe();
      throw error;
    }
    return unsubscribe;
  }

  /** The chunk after `last`, if the window has it. */
  next(runId: string, last: number): Next {
    const run = this.runs.get(runId);
    if (!run || last >= run.readTo) return { kind: "caught-up" };
    const first = run.readTo - (run.window.length - run.head) + 1;
    const chunk = run.window[run.head + last + 1 - first];
    return last + 1 >= first && chunk ? { kind: "chunk", chunk } : { kind: "behind" };
  }

  /**
   * The chunk after `last` for a viewer behind the window: from the chunks
   * the hub keeps for such viewers, else one storage read shared by all who
   * ask for it at once. Null: nothing stored after `last`.
   */
  async behind(runId: string, last: number): Promise<LogChunk | null> {
    const run = this.runs.get(runId);
    if (!run) return (await readChunks(this.db, runId, last, 1, BEHIND_PAGE_BYTES))[0] ?? null;
    const kept = run.behind.get(last + 1);
    if (kept) return kept;
    let read = run.reads.get(last);
    if (!read) {
      read = readChunks(this.db, runId, last, 1000, BEHIND_PAGE_BYTES)
        .then((page) => {
          for (const chunk of page) this.keepBehind(run, chunk);
        })
        .finally(() => run.reads.delete(last));
      run.reads.set(last, read);
    }
    await read;
    return (
      run.behind.get(last + 1) ?? (await readChunks(this.db, runId, last, 1, BEHIND_PAGE_BYTES))[0] ?? null
    );
  }

  private keepBehind(run: Watched, chunk: LogChunk) {
    if (run.behind.has(chunk.seq)) return;
    run.behind.set(chunk.seq, chunk);
    run.behindBytes += chunk.data.length;
    // A Map iterates in insertion order: the first key is the one kept longest.
    for (const [seq, old] of run.behind) {
      if (run.behindBytes <= BEHIND_BYTES || run.behind.size <= 1) break;
      run.behind.delete(seq);
      run.behindBytes -= old.data.length;
    }
  }

  /** Reads storage until it has nothing more for the run (the viewers' safety net). */
  refresh(runId: string) {
    const run = this.runs.get(runId);
    if (!run) return;
    run.drain = true;
    void this.pump(runId, run);
  }

  /** Output the hub holds for the run: bounded by WINDOW_BYTES + BEHIND_BYTES plus two chunks. */
  heldBytes(runId: string): number {
    const run = this.runs.get(runId);
    return run ? run.windowBytes + run.behindBytes : 0;
  }

  listenerCount(runId: string): number {
    return this.runs.get(runId)?.listeners.size ?? 0;
  }

  private onMessage(message: ChannelMessage) {
    if (message.type === "resync") {
      for (const [runId, run] of this.runs) {
        run.drain = true;
        void this.pump(runId, run);
        emit(run, true);
      }
      return;
    }
    const run = this.runs.get(message.runId);
    if (!run) return;
    if (message.type === "output") {
      run.target = Math.max(run.target, message.seq);
      void this.pump(message.runId, run);
    } else emit(run, true);
  }

  private async pump(runId: string, run: Watched) {
    if (run.reading) return;
    run.reading = true;
    try {
      await run.ready;
      while ((run.readTo < run.target || run.drain) && this.runs.get(runId) === run) {
        const page = await readChunks(this.db, runId, run.readTo, 1000, WINDOW_BYTES / 2);
        if (page.length === 0) {
          run.drain = false;
          break;
        }
        for (const chunk of page) this.append(run, chunk);
        emit(run, false);
      }
    } catch (error) {
      console.error("[runops] live log read failed", error);
      emit(run, true);
    } finally {
      run.reading = false;
    }
  }

  private append(run: Watched, chunk: LogChunk) {
    if (chunk.seq !== run.readTo + 1) {
      // Not contiguous (cannot happen when reads start at readTo): start the window afresh.
      run.window = [];
      run.head = 0;
      run.windowBytes = 0;
    }
    run.window.push(chunk);
    run.windowBytes += chunk.data.length;
    run.readTo = chunk.seq;
    while (run.window.length - run.head > 1 && run.windowBytes > WINDOW_BYTES) {
      run.windowBytes -= run.window[run.head]?.data.length ?? 0;
      run.window[run.head] = undefined; // let it go now, not at the next compaction
      run.head++;
    }
    if (run.head > 1024 && run.head * 2 > run.window.length) {
      run.window = run.window.slice(run.head);
      run.head = 0;
    }
  }
}

function emit(run: Watched, changed: boolean) {
  for (const listener of [...run.listeners]) listener(changed);
}

const key = Symbol.for("runops.logHub");
type WithHub = typeof globalThis & { [key]?: LogHub };

/** The console process's hub, on its run event channel (installed at start-up). */
export function logHub(db: Db): LogHub {
  const g = globalThis as WithHub;
  g[key] ??= new LogHub(db, runEvents());
  return g[key];
}
