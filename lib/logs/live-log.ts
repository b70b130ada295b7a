import type { Db } from "../db/client";
import { isTerminal } from "../runs/run-model";
import type { LogHub } from "./log-hub";
import { readChunks } from "./read-log";
import type { LogChunk, RunEnd } from "./types";

/**
 * A viewer that heard nothing for this long re-reads storage and the run: the
 * safety net for a lost event, deliberately slow (events do the real work).
 */
export const SAFETY_POLL_MS = 5000;

/** The run's row as the live log reads it; `view` turns it into what a state event shows. */
type RunRow = NonNullable<Awaited<ReturnType<typeof readRun>>>;

export type LiveLogEvent<View = unknown> =
  { type: "chunk"; chunk: LogChunk } | { type: "state"; view: View } | { type: "end"; end: RunEnd };

function readRun(db: Db, runId: string) {
  return db.run.findUnique({
    where: { id: runId },
    include: {
      triggeredBy: { select: { id: true, name: true, email: true } },
      environment: { select: { name: true, project: { select: { slug: true } } } },
    },
  });
}

/** What a state event is about: a new one is sent only when one of these changed. */
const stateKey = (run: RunRow) =>
  [run.state, run.startedAt?.getTime(), run.cancelRequestedAt?.getTime(), run.workerId].join("|");

/**
 * A run's log from `afterSeq` on, and its state: what is stored, then what
 * the hub reads as workers announce it, with no gap and no repeat, ending with
 * the run's end. Any chunk out of order (a viewer that joined late, a lost
 * event) sends the viewer back to storage.
 */
export async function* liveLog<View>(
  db: Db,
  hub: LogHub,
  runId: string,
  afterSeq: number,
  signal: AbortSignal,
  view: (run: RunRow) => View,
): AsyncGenerator<LiveLogEvent<View>> {
  let last = afterSeq;
  const queue: Array<{ type: "chunk"; chunk: LogChunk } | { type: "changed" }> = [];
  let wake: (() => void) | null = null;
  const notify = () => {
    wake?.();
    wake = null;
  };
  const unsubscribe = hub.subscribe(runId, afterSeq, (event) => {
    queue.push(event);
    notify();
  });
  const onAbort = () => notify();
  signal.addEventListener("abort", onAbort);
  let sentState = "";

  /** Stored chunks after `last`, a page at a time. */
  async function* stored(): AsyncGenerator<LiveLogEvent<View>> {
    for (;;) {
      const page = await readChunks(db, runId, last, 1000);
      for (const chunk of page) {
        last = chunk.seq;
        yield { type: "chunk", chunk };
      }
      // Pages are bounded by bytes too: only an empty one says the stored log is read.
      if (page.length === 0 || signal.aborted) return;
    }
  }

  try {
    for (;;) {
      if (signal.aborted) return;
      yield* stored();
      const run = await readRun(db, runId);
      if (!run) return;
      if (stateKey(run) !== sentState) {
        sentState = stateKey(run);
        yield { type: "state", view: view(run) };
      }
      if (isTerminal(run.state)) {
        // Everything was stored before the run was marked ended: read what is left.
        yield* stored();
        const { state, result, exitCode, signal: sig, reason } = run;
        yield { type: "end", end: { state, result, exitCode, signal: sig, reason } };
        return;
      }
      // Live chunks in order; anything else sends us back to storage and the run's row.
      let recheck = false;
      while (!recheck && !signal.aborted) {
        const event = queue.shift();
        if (!event) {
          const timer = setTimeout(() => {
            recheck = true;
            notify();
          }, SAFETY_POLL_MS);
          await new Promise<void>((resolve) => (wake = resolve));
          clearTimeout(timer);
          continue;
        }
        if (event.type === "changed") {
          recheck = true;
          continue;
        }
        if (event.chunk.seq <= last) continue;
        if (event.chunk.seq !== last + 1) {
          recheck = true;
          continue;
        }
        last = event.chunk.seq;
        yield { type: "chunk", chunk: event.chunk };
      }
    }
  } finally {
    signal.removeEventListener("abort", onAbort);
    unsubscribe();
  }
}
