import type { Db } from "../db/client";
import type { LogChunk, LogStream } from "./types";

const STREAMS: readonly string[] = ["stdout", "stderr", "system"];

/** Stored chunks with seq > afterSeq, in order, at most `limit` of them. */
export async function readChunks(db: Db, runId: string, afterSeq: number, limit = 1000): Promise<LogChunk[]> {
  const rows = await db.logChunk.findMany({
    where: { runId, seq: { gt: afterSeq } },
    orderBy: { seq: "asc" },
    take: limit,
  });
  return rows.map((r) => ({
    seq: r.seq,
    stream: (STREAMS.includes(r.stream) ? r.stream : "system") as LogStream,
    data: Buffer.from(r.data),
    at: r.at,
    lineStart: r.lineStart,
    newlines: r.newlines,
  }));
}

/** Every stored byte of a run's log, in order, read page by page. */
export async function* readWholeLog(db: Db, runId: string): AsyncGenerator<LogChunk> {
  let after = 0;
  for (;;) {
    const page = await readChunks(db, runId, after, 500);
    if (page.length === 0) return;
    for (const chunk of page) yield chunk;
    after = page[page.length - 1]?.seq ?? after;
  }
}
