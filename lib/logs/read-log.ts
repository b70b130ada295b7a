import { type Db, databaseUrl } from "../db/client";
import { logDirectory, readLogRange } from "./log-files";
import type { LogChunk, LogStream } from "./types";

const STREAMS: readonly string[] = ["stdout", "stderr", "system"];

/** What one page of stored chunks may weigh: a reader holds at most about this much at once. */
export const PAGE_BYTES = 4 * 1024 * 1024;

/**
 * Stored chunks with afterSeq < seq ≤ toSeq, in order: at most `limit` of
 * them and, past the first, no more than `maxBytes` in all. The index is read
 * first (without the bytes), then the bytes of just the chunks that fit: one
 * read of the run's log file (the chunks lie one after the other in it), or
 * their rows where the log is in the database.
 */
export async function readChunks(
  db: Db,
  runId: string,
  afterSeq: number,
  limit = 1000,
  maxBytes = PAGE_BYTES,
  toSeq?: number,
): Promise<LogChunk[]> {
  const index = await db.logChunk.findMany({
    where: { runId, seq: { gt: afterSeq, ...(toSeq === undefined ? {} : { lte: toSeq }) } },
    orderBy: { seq: "asc" },
    take: limit,
    select: { seq: true, stream: true, at: true, lineStart: true, newlines: true, size: true, offset: true },
  });
  let total = 0;
  let n = 0;
  for (const row of index) {
    total += row.size;
    if (total > maxBytes && n > 0) break;
    n++;
  }
  const page = index.slice(0, n);
  const first = page[0];
  const last = page[page.length - 1];
  if (!first || !last) return [];

  const bytes = new Map<number, Buffer>();
  const inFile = page.filter((row) => row.offset !== null);
  const dir = inFile.length > 0 ? logDirectory(databaseUrl(db)) : null;
  if (dir && inFile.length > 0) {
    // The chunks of one run are contiguous in its file: one read for the page.
    const start = Number(inFile[0]?.offset);
    const tail = inFile[inFile.length - 1];
    const data = await readLogRange(dir, runId, start, Number(tail?.offset) + (tail?.size ?? 0) - start);
    for (const row of inFile) {
      const at = Number(row.offset) - start;
      // A chunk the file does not hold whole (see readLogRange) ends the page.
      if (at + row.size > data.length) break;
      bytes.set(row.seq, data.subarray(at, at + row.size));
    }
  }
  if (inFile.length < page.length) {
    const rows = await db.logChunk.findMany({
      where: { runId, seq: { gt: afterSeq, lte: last.seq }, offset: null },
      select: { seq: true, data: true },
    });
    // A view of the driver's bytes, not a copy.
    for (const r of rows) bytes.set(r.seq, Buffer.from(r.data.buffer, r.data.byteOffset, r.data.byteLength));
  }

  const chunks: LogChunk[] = [];
  for (const row of page) {
    const data = bytes.get(row.seq);
    if (!data) break;
    chunks.push({
      seq: row.seq,
      stream: (STREAMS.includes(row.stream) ? row.stream : "system") as LogStream,
      data,
      at: row.at,
      lineStart: row.lineStart,
      newlines: row.newlines,
    });
  }
  return chunks;
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
