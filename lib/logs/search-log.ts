import type { Db } from "../db/client";
import { readWholeLog } from "./read-log";

/** Escape sequences (colours, cursor moves, titles) are not part of the text a person searches. */
const ANSI = /\x1b\[[0-9;:?<=>]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-_]/g;

/** Longest part of one line that is searched (a megabyte-long line is searched by its start). */
const MAX_LINE_BYTES = 64 * 1024;

/**
 * Line numbers (1-based) whose text contains `query`, case-insensitively, at
 * most `limit` of them. Reads the log chunk by chunk, holding one line at a time.
 */
export async function searchLog(db: Db, runId: string, query: string, limit = 1000) {
  const needle = query.toLowerCase();
  const matches: number[] = [];
  let line = 1;
  let parts: Buffer[] = [];
  let held = 0;
  const test = () => {
    const text = Buffer.concat(parts).toString("utf8").replace(ANSI, "").toLowerCase();
    if (text.includes(needle)) matches.push(line);
    parts = [];
    held = 0;
  };
  for await (const chunk of readWholeLog(db, runId)) {
    let pos = 0;
    while (pos < chunk.data.length) {
      const nl = chunk.data.indexOf(10, pos);
      const end = nl === -1 ? chunk.data.length : nl;
      if (held < MAX_LINE_BYTES) {
        const piece = chunk.data.subarray(pos, Math.min(end, pos + MAX_LINE_BYTES - held));
        parts.push(piece);
        held += piece.length;
      }
      if (nl === -1) break;
      test();
      line++;
      if (matches.length >= limit) return { matches, truncated: true };
      pos = nl + 1;
    }
  }
  if (held > 0) test();
  return { matches, truncated: false };
}
