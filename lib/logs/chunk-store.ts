import { closeSync, constants, fdatasync, mkdirSync, openSync, writevSync } from "node:fs";
import { promisify } from "node:util";
import Database from "better-sqlite3";
import pg from "pg";
import { databaseProvider, postgresTarget, sqliteFilePath } from "../db/url";
import { logDirectory, logFilePath } from "./log-files";
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
  /** The run's output is all stored: make it durable and let go of what holds it open. */
  finish(runId: string): Promise<void>;
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

const datasync = promisify(fdatasync);

/** A run's open log file: synced every SYNC_EVERY_BYTES in the background, and at its end. */
type LogFile = { fd: number; unsynced: number; syncing: Promise<void> | null };
const SYNC_EVERY_BYTES = 16 * 1024 * 1024;

/** Prisma's SQLite DateTime text format. */
const sqliteTime = (d: Date) => d.toISOString().replace("Z", "+00:00");

/**
 * SQLite: the bytes go to the run's log file, the index (and the run's
 * totals) to the database, in one transaction whose write lock also orders
 * the file writes. The offset comes from the run's committed byte count,
 * so bytes are written only past what is committed: a crash between the
 * write and the commit leaves bytes nobody points at, which the next batch
 * overwrites; and a fenced worker writes nothing. Decision 0013.
 */
function sqliteStore(url: string): ChunkStore {
  const dir = logDirectory(url);
  const db = new Database(sqliteFilePath(url), { timeout: 5000 });
  db.pragma("journal_mode = WAL");
  // The index commits need not reach the disk one by one: they are made durable with the
  // file at the end of the run (finish), and a power loss costs the last moments of output.
  db.pragma("synchronous = NORMAL");
  const insert = db.prepare(
    'INSERT INTO "LogChunk" ("runId", "seq", "stream", "data", "at", "lineStart", "newlines", "size", "offset") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const update = db.prepare<unknown[], { logBytes: number | bigint }>(
    'UPDATE "Run" SET "logSeq" = ?, "logBytes" = "logBytes" + ?, "logLines" = ?, "logTruncated" = ? WHERE "id" = ? AND (? IS NULL OR ("workerId" = ? AND "state" = \'in_progress\')) RETURNING "logBytes"',
  );
  const files = new Map<string, LogFile>();
  const fileOf = (runId: string) => {
    let file = files.get(runId);
    if (file === undefined && dir) {
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      // Never truncated: bytes are only ever written past what the index has committed.
      const fd = openSync(logFilePath(dir, runId), constants.O_WRONLY | constants.O_CREAT, 0o600);
      file = { fd, unsynced: 0, syncing: null };
      files.set(runId, file);
    }
    return file?.fd;
  };
  const empty = Buffer.alloc(0);
  const write = db.transaction((runId: string, batch: LogChunk[], t: LogTotals) => {
    // The guard first: a fenced worker's batch must not be stored at all.
    const held = update.get(t.seq, t.bytes, t.lines, t.truncated ? 1 : 0, runId, t.holder, t.holder);
    if (!held) throw new FencedError(runId);
    const fd = fileOf(runId);
    if (fd === undefined) {
      for (const c of batch)
        insert.run(
          runId,
          c.seq,
          c.stream,
          c.data,
          sqliteTime(c.at),
          c.lineStart,
          c.newlines,
          c.data.length,
          null,
        );
      return;
    }
    let offset = Number(held.logBytes) - t.bytes;
    writeAll(
      fd,
      batch.map((c) => c.data),
      offset,
    );
    for (const c of batch) {
      insert.run(
        runId,
        c.seq,
        c.stream,
        empty,
        sqliteTime(c.at),
        c.lineStart,
        c.newlines,
        c.data.length,
        offset,
      );
      offset += c.data.length;
    }
  });
  return {
    async store(runId, batch, totals) {
      if (batch.length === 0) return;
      write(runId, batch, totals);
      const file = files.get(runId);
      if (!file) return;
      // Synced while the run goes on, off the event loop, so that its end waits only for the tail.
      file.unsynced += totals.bytes;
      if (file.unsynced >= SYNC_EVERY_BYTES && !file.syncing) {
        file.unsynced = 0;
        file.syncing = datasync(file.fd).finally(() => (file.syncing = null));
      }
    },
    async finish(runId) {
      const file = files.get(runId);
      if (file === undefined) return;
      files.delete(runId);
      try {
        await file.syncing;
        await datasync(file.fd);
      } finally {
        closeSync(file.fd);
      }
    },
    async close() {
      for (const file of files.values()) {
        await file.syncing?.catch(() => undefined);
        closeSync(file.fd);
      }
      files.clear();
      db.close();
    },
  };
}

/** Writes every buffer at `position`, in order (a regular file may take a big write in parts). */
function writeAll(fd: number, buffers: Buffer[], position: number) {
  let rest = buffers;
  let at = position;
  while (rest.length > 0) {
    let written = writevSync(fd, rest, at);
    at += written;
    const left: Buffer[] = [];
    for (const b of rest) {
      if (written >= b.length) written -= b.length;
      else {
        left.push(written > 0 ? b.subarray(written) : b);
        written = 0;
      }
    }
    rest = left;
  }
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
            c.data.length,
          );
          const b = i * 8;
          return `($${b + 1}, $${b + 2}, $${b + 3}, $${b + 4}, $${b + 5}, $${b + 6}, $${b + 7}, $${b + 8})`;
        });
        await client.query(
          `INSERT INTO "LogChunk" ("runId", "seq", "stream", "data", "at", "lineStart", "newlines", "size") VALUES ${rows.join(", ")}`,
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
    async finish() {},
    async close() {
      await pool.end();
    },
  };
}
