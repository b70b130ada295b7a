import Database from "better-sqlite3";
import pg from "pg";
import { databaseProvider, postgresTarget, sqliteFilePath } from "../db/url";
import type { LogChunk } from "./types";

export type LogTotals = {
  seq: number;
  bytes: number;
  lines: number;
  truncated: boolean;
  /** When set, the batch is stored only while this worker holds the run in progress. */
  holder: string | null;
};

/** The run is no longer held by the writer's worker (its lease was taken): nothing was stored. */
export class FencedError extends Error {
  constructor(runId: string) {
    super(`run ${runId} is no longer held by this worker`);
  }
}

/** Where log batches go: one transaction per batch, chunks plus the run's totals. */
export interface ChunkStore {
  store(runId: string, batch: LogChunk[], totals: LogTotals): Promise<void>;
  close(): Promise<void>;
}

/**
 * The log's write path talks to the database driver directly, on a connection
 * of its own. It is the hot path of every run's output, and going through
 * Prisma cost ~60 ms per megabyte (parameters are walked and base64-encoded
 * in JavaScript) against ~1 ms for a prepared statement — see
 * docs/decisions/0005. Rows are written in the exact format Prisma reads.
 */
export function createChunkStore(url: string): ChunkStore {
  return databaseProvider(url) === "postgresql" ? postgresStore(url) : sqliteStore(url);
}

/** Prisma's SQLite DateTime text format. */
const sqliteTime = (d: Date) => d.toISOString().replace("Z", "+00:00");

function sqliteStore(url: string): ChunkStore {
  const db = new Database(sqliteFilePath(url), { timeout: 5000 });
  db.pragma("journal_mode = WAL");
  const insert = db.prepare(
    'INSERT INTO "LogChunk" ("runId", "seq", "stream", "data", "at", "lineStart", "newlines") VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  const update = db.prepare(
    'UPDATE "Run" SET "logSeq" = ?, "logBytes" = "logBytes" + ?, "logLines" = ?, "logTruncated" = ? WHERE "id" = ? AND (? IS NULL OR ("workerId" = ? AND "state" = \'in_progress\'))',
  );
  const write = db.transaction((runId: string, batch: LogChunk[], t: LogTotals) => {
    // The guard first: a fenced worker's batch must not be inserted at all.
    const held = update.run(t.seq, t.bytes, t.lines, t.truncated ? 1 : 0, runId, t.holder, t.holder);
    if (held.changes === 0) throw new FencedError(runId);
    for (const c of batch)
      insert.run(runId, c.seq, c.stream, c.data, sqliteTime(c.at), c.lineStart, c.newlines);
  });
  return {
    async store(runId, batch, totals) {
      if (batch.length > 0) write(runId, batch, totals);
    },
    async close() {
      db.close();
    },
  };
}

function postgresStore(url: string): ChunkStore {
  const { connectionString, schema } = postgresTarget(url);
  const pool = new pg.Pool({
    connectionString,
    max: 2,
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
  });
  return {
    async store(runId, batch, totals) {
      if (batch.length === 0) return;
      const client = await pool.connect();
      try {
        await client.query("BEGIN");
        const held = await client.query(
          'UPDATE "Run" SET "logSeq" = $1, "logBytes" = "logBytes" + $2, "logLines" = $3, "logTruncated" = $4 WHERE "id" = $5 AND ($6::text IS NULL OR ("workerId" = $6 AND "state" = \'in_progress\'))',
          [totals.seq, totals.bytes, totals.lines, totals.truncated, runId, totals.holder],
        );
        if (held.rowCount === 0) throw new FencedError(runId);
        const values: unknown[] = [];
        const rows = batch.map((c, i) => {
          // "timestamp(3)" without zone holds UTC, as Prisma writes it.
          values.push(
            runId,
            c.seq,
            c.stream,
            c.data,
            c.at.toISOString().replace("Z", ""),
            c.lineStart,
            c.newlines,
          );
          const b = i * 7;
          return `($${b + 1}, $${b + 2}, $${b + 3}, $${b + 4}, $${b + 5}, $${b + 6}, $${b + 7})`;
        });
        await client.query(
          `INSERT INTO "LogChunk" ("runId", "seq", "stream", "data", "at", "lineStart", "newlines") VALUES ${rows.join(", ")}`,
          values,
        );
        await client.query("COMMIT");
      } catch (error) {
        await client.query("ROLLBACK").catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    async close() {
      await pool.end();
    },
  };
}
