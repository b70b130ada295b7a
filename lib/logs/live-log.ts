import type { Db } from "../db/client";
import { isTerminal } from "../runs/run-states";
import type { LogHub } from "./log-hub";
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
 * the run's end. The viewer pulls at its own pace: from the hub's shared
 * window while it keeps up, from storage by range when it is behind, so a
 * viewer that stops reading holds one chunk, never a backlog.
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
  let wake: (() => void) | null = null;
  let changed = true; // the run's row is read first
  const notify = () => {
    wake?.();
    wake = null;
  };
  const unsubscribe = await hub.subscribe(runId, (rowChanged) => {
    if (rowChanged) changed = true;
    notify();
  });
  const onAbort = () => notify();
  signal.addEventListener("abort", onAbort);
  let sentState = "";

  /** Everything the hub or storage has after `last`, until caught up with the hub. */
  async function* catchUp(): AsyncGenerator<LiveLogEvent<View>> {
    while (!signal.aborted) {
      const next = hub.next(runId, last);
      if (next.kind === "caught-up") return;
      if (next.kind === "chunk") {
        last = next.chunk.seq;
        yield { type: "chunk", chunk: next.chunk };
        continue;
      }
      const chunk = await hub.behind(runId, last);
      if (!chunk || chunk.seq !== last + 1) return;
      last = chunk.seq;
      yield { type: "chunk", chunk };
    }
  }

  /**
   * Stored chunks after `last`, up to `upTo`, through the hub's reads for
   * viewers behind (shared by every viewer that asks at once): the end of a
   * run, the safety net.
   */
  async function* stored(upTo = Infinity): AsyncGenerator<LiveLogEvent<View>> {
    while (!signal.aborted && last < upTo) {
      const chunk = await hub.behind(runId, last);
      if (!chunk || chunk.seq !== last + 1) return;
      last = chunk.seq;
      yield { type: "chunk", chunk };
    }
  }

  try {
    while (!signal.aborted) {
      yield* catchUp();
      if (signal.aborted) return;
      if (changed) {
        changed = false;
        const run = await readRun(db, runId);
        if (!run) return;
        if (stateKey(run) !== sentState) {
          sentState = stateKey(run);
          yield { type: "state", view: view(run) };
        }
        if (isTerminal(run.state)) {
          // Everything was stored before the run was marked ended: read what is left.
          yield* stored(run.logSeq);
          const { state, result, exitCode, signal: sig, reason } = run;
          yield { type: "end", end: { state, result, exitCode, signal: sig, reason } };
          return;
        }
        continue;
      }
      if (hub.next(runId, last).kind !== "caught-up") continue;
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        notify();
      }, SAFETY_POLL_MS);
      await new Promise<void>((resolve) => (wake = resolve));
      clearTimeout(timer);
      if (timedOut) {
        // Heard nothing for a while: look at storage and the row ourselves, in case an event was lost.
        hub.refresh(runId);
        yield* stored();
        changed = true;
      }
    }
  } finally {
    signal.removeEventListener("abort", onAbort);
    unsubscribe();
  }
}
