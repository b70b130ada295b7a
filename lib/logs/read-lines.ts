import type { Db } from "../db/client";
import { PAGE_BYTES, readChunks } from "./read-log";
import type { LogStream } from "./types";

export type LogLine = {
  /** 1-based line number. */
  n: number;
  text: string;
  /** Stream of the chunk the line starts in. */
  stream: LogStream;
  /** When the chunk the line starts in was read (ISO). */
  at: string;
};

export type LineRange = {
  /** Lines in the log as stored up to `seq` (a last line without newline counts). */
  total: number;
  /** The last chunk the answer includes: follow live output after it. */
  seq: number;
  /** The log's last line has no newline yet (more output may continue it). */
  partial: boolean;
  lines: LogLine[];
};

const PAGE = 200;

/**
 * Lines [from, to) (0-based) of a run's stored log. Each chunk records how
 * many newlines precede it, so the first chunk needed is found through an
 * index and only the chunks holding those lines are read — never the whole log.
 */
export async function readLines(db: Db, runId: string, from: number, to: number): Promise<LineRange> {
  const run = await db.run.findUniqueOrThrow({
    where: { id: runId },
    select: { logSeq: true, logLines: true },
  });
  const seq = run.logSeq;
  const last = seq > 0 ? ((await readChunks(db, runId, seq - 1, 1, PAGE_BYTES, seq))[0] ?? null) : null;
  const partial = last !== null && (last.data.length === 0 || last.data[last.data.length - 1] !== 10) ? 1 : 0;
  const total = (last ? last.lineStart + last.newlines : 0) + partial;
  from = Math.max(0, from);
  to = Math.min(total, to);
  if (from >= to) return { total, seq, partial: partial === 1, lines: [] };

  // The chunk holding the newline that ends line `from - 1` (line 0 starts at the first chunk).
  const first =
    from === 0
      ? 1
      : ((
          await db.logChunk.findFirst({
            where: { runId, lineStart: { lt: from }, seq: { lte: seq } },
            orderBy: [{ lineStart: "desc" }, { seq: "desc" }],
            select: { seq: true },
          })
        )?.seq ?? 1);

  const lines: LogLine[] = [];
  let parts: Buffer[] = [];
  let startMeta: { stream: LogStream; at: string } | null = null;
  let lineNo = from; // 0-based number of the line being assembled
  let after = first - 1;
  let done = false;
  while (!done) {
    const chunks = await readChunks(db, runId, after, PAGE, PAGE_BYTES, seq);
    if (chunks.length === 0) break;
    for (const chunk of chunks) {
      after = chunk.seq;
      const data = chunk.data;
      const meta = { stream: chunk.stream, at: chunk.at.toISOString() };
      let pos = 0;
      // In the first chunk, skip to the start of line `from`.
      if (chunk.seq === first && from > 0) {
        let skip = from - chunk.lineStart;
        while (skip > 0) {
          pos = data.indexOf(10, pos) + 1;
          skip--;
        }
      }
      while (pos < data.length) {
        startMeta ??= meta;
        const nl = data.indexOf(10, pos);
        if (nl === -1) {
          parts.push(data.subarray(pos));
          break;
        }
        parts.push(data.subarray(pos, nl));
        lines.push({ n: lineNo + 1, text: Buffer.concat(parts).toString("utf8"), ...startMeta });
        parts = [];
        startMeta = null;
        lineNo++;
        pos = nl + 1;
        if (lineNo >= to) {
          done = true;
          break;
        }
      }
      if (done) break;
    }
  }
  if (!done && startMeta && lineNo < to) {
    lines.push({ n: lineNo + 1, text: Buffer.concat(parts).toString("utf8"), ...startMeta });
  }
  return { total, seq, partial: partial === 1, lines };
}
