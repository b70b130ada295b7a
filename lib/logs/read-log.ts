import type { Db } from "../db/client";
import type { LogChunk, LogStream } from "./types";

const STREAMS: readonly string[] = ["stdout", "stderr", "system"];

/** What one page of stored chunks may weigh: a reader holds at most about this much at once. */
export const PAGE_BYTES = 4 * 1024 * 1024;

/**
 * Stored chunks with seq > afterSeq, in order: at most `limit` of them and,
 * past the first, no more than `maxBytes` in all. A chunk holds up to 1 MiB,
 * so a page bounded by rows alone could weigh a gigabyte; the sizes are read
 * first (without the bytes), then just the chunks that fit.
 */
export async function readChunks(
  db: Db,
  runId: string,
  afterSeq: number,
  limit = 1000,
  maxBytes = PAGE_BYTES,
): Promise<LogChunk[]> {
  const sizes = await db.$queryRaw<Array<{ seq: number | bigint; n: number | bigint }>>`
    SELECT "seq", length("data") AS "n" FROM "LogChunk"
    WHERE "runId" = ${runId} AND "seq" > ${afterSeq} ORDER BY "seq" LIMIT ${limit}`;
  if (sizes.length === 0) return [];
  let total = 0;
  let lastSeq = Number(sizes[0]?.seq);
  for (const row of sizes) {
    total += Number(row.n);
    if (total > maxBytes && Number(row.seq) !== lastSeq) break;
    lastSeq = Number(row.seq);
  }
  const rows = await db.logChunk.findMany({
    where: { runId, seq: { gt: afterSeq, lte: lastSeq } },
    orderBy: { seq: "asc" },
  });
  return rows.map((r) => ({
    seq: r.seq,
    stream: (STREAMS.includes(r.stream) ? r.stream : "system") as LogStream,
    // A view of the driver's bytes, not a copy.
    data: Buffer.from(r.data.buffer, r.data.byteOffset, r.data.byteLength),
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
