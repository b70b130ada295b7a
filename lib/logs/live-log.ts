import type { Db } from "../db/client";
import { isTerminal } from "../runs/run-model";
import type { LogHub } from "./log-hub";
import { readChunks } from "./read-log";
import type { LogChunk, RunEnd } from "./types";

/** How often an idle viewer re-reads storage (runs executed by another process, missed wake-ups). */
const POLL_MS = 1000;

export type LiveLogEvent = { type: "chunk"; chunk: LogChunk } | { type: "end"; end: RunEnd };

/**
 * A run's log from `afterSeq` on: what is stored, then what is live, with no
 * gap and no repeat, ending with the run's final state. The subscription is
 * taken before the stored read; the hub's snapshot covers chunks published
 * but not yet committed. A slow poll of the database backs up the live path
 * (runs executed by a worker in another process).
 */
export async function* liveLog(
  db: Db,
  hub: LogHub,
  runId: string,
  afterSeq: number,
  signal: AbortSignal,
): AsyncGenerator<LiveLogEvent> {
  let last = afterSeq;
  const queue: Array<{ type: "chunk"; chunk: LogChunk } | { type: "end" | "state" }> = [];
  let wake: (() => void) | null = null;
  const notify = () => {
    wake?.();
    wake = null;
  };
  let lastLive = Date.now();
  const sub = hub.subscribe(runId, (event) => {
    lastLive = Date.now();
    queue.push(event.type === "chunk" ? event : { type: event.type });
    notify();
  });
  const onAbort = () => notify();
  signal.addEventListener("abort", onAbort);
  const poll = setInterval(notify, POLL_MS);
  let buffered: LogChunk[] = sub.unflushed;

  /** Stored chunks after `last`, a page at a time. */
  async function* stored(): AsyncGenerator<LiveLogEvent> {
    for (;;) {
      const page = await readChunks(db, runId, last, 1000);
      for (const chunk of page) {
        last = chunk.seq;
        yield { type: "chunk", chunk };
      }
      if (page.length < 1000 || signal.aborted) return;
    }
  }

  try {
    for (;;) {
      if (signal.aborted) return;
      yield* stored();
      for (const chunk of buffered) {
        if (chunk.seq === last + 1) {
          last = chunk.seq;
          yield { type: "chunk", chunk };
        }
      }
      buffered = [];
      const run = await db.run.findUnique({ where: { id: runId } });
      if (!run) return;
      if (isTerminal(run.state)) {
        // Everything was stored before the run was marked ended: read what is left.
        yield* stored();
        yield {
          type: "end",
          end: {
            state: run.state,
            result: run.result,
            exitCode: run.exitCode,
            signal: run.signal,
            reason: run.reason,
          },
        };
        return;
      }
      // Live chunks in order; anything out of order sends us back to storage.
      let needStore = false;
      while (!needStore && !signal.aborted) {
        const event = queue.shift();
        if (!event) {
          await new Promise<void>((resolve) => (wake = resolve));
          // A poll tick sends us to storage only when the live path has been quiet
          // for a while: 100 busy viewers must not mean 100 queries a second.
          if (queue.length === 0 && Date.now() - lastLive >= POLL_MS) needStore = true;
          continue;
        }
        if (event.type === "chunk") {
          if (event.chunk.seq <= last) continue;
          if (event.chunk.seq !== last + 1) {
            buffered = [event.chunk, ...queue.flatMap((e) => (e.type === "chunk" ? [e.chunk] : []))];
            queue.length = 0;
            needStore = true;
            continue;
          }
          last = event.chunk.seq;
          yield { type: "chunk", chunk: event.chunk };
        } else if (event.type === "end") {
          needStore = true;
        }
      }
    }
  } finally {
    clearInterval(poll);
    signal.removeEventListener("abort", onAbort);
    sub.unsubscribe();
  }
}
