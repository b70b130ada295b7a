import type { Actor } from "../access/actor";
import type { Db } from "../db/client";
import { getRun } from "../runs/get-run";
import { liveLog } from "./live-log";
import { logHub } from "./log-hub";
import { type LineRange, readLines } from "./read-lines";
import { readWholeLog } from "./read-log";
import { searchLog } from "./search-log";

/** Which lines to read: `[from, to)` (0-based), or the last `tail` lines. */
export type LineQuery = { from: number; to: number } | { tail: number };

/**
 * A run's log, for an actor who may see the run (404 otherwise: `getRun` asks
 * the access rule). Every way of reading a log starts here, so none can skip
 * the check: the readers below take a run id only from an opened log.
 */
export async function openRunLog(db: Db, actor: Actor, runId: string) {
  const { run, canCancel } = await getRun(db, actor, runId);
  return {
    run,
    canCancel,
    async lines(query: LineQuery): Promise<LineRange> {
      if ("tail" in query) {
        // The total is only known inside the read: ask for the count first, then the tail.
        const { total } = await readLines(db, run.id, 0, 0);
        return readLines(db, run.id, Math.max(0, total - query.tail), total);
      }
      return readLines(db, run.id, query.from, query.to);
    },
    search: (q: string, limit: number) => searchLog(db, run.id, q, limit),
    /** The stored bytes, chunk by chunk (the download). */
    bytes: () => readWholeLog(db, run.id),
    /** Stored then live output after chunk `afterSeq`, with the run's state as `view` shows it. */
    live: <View>(afterSeq: number, signal: AbortSignal, view: Parameters<typeof liveLog<View>>[5]) =>
      liveLog(db, logHub(db), run.id, afterSeq, signal, view),
  };
}
