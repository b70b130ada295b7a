/**
 * Where log bytes live on PostgreSQL (docs/decisions/0010):
 * `npx tsx bench/log-storage.ts [--quick] [--only=file,sqlite,pg]`.
 *
 * 256 MiB of log-like text (printable lines of varying content, ~120 bytes each, deterministic)
 * is fed as 64 KiB reads — one per event-loop turn, as a pipe delivers them, pausing when the
 * writer asks — through the real `RunLogWriter` (the worker's defaults) + `createChunkStore(url)`
 * for a run held `in_progress` by a worker id, so every batch passes the fencing guard; timed to
 * `close()` (all committed). Then the whole log is read back with `readWholeLog` (Prisma, 4 MiB
 * pages: the log download, a viewer catching up), hashed, and compared with the input's sha256.
 *
 * Stores (3 repetitions each, 1 with --quick):
 * - (a) PostgreSQL rows, on a server made durable (fsync, synchronous_commit, full_page_writes on;
 *   everything else default): the `data` column as the schema makes it (TOAST, pglz), with
 *   `SET COMPRESSION lz4`, and with `SET STORAGE EXTERNAL` (out of line, not compressed); and,
 *   for reference, as the tests run it (tests/support/postgres.ts: fsync off), schema as is;
 * - the raw bound of the database path (per storage): one client, an INSERT of four 1 MiB rows
 *   per 4 MiB, no guard, no totals; read back 4 rows a query;
 * - (b) at its best: the same writer into a per-run file on the local disk (bytes appended and
 *   fsynced, then the guard and an index row per chunk in one PostgreSQL transaction), read back
 *   through the index with one positioned read per chunk;
 * - SQLite (temp file, WAL, as runops runs it), for reference;
 * - (iii) the baseline: the bytes appended to a file, a write per 64 KiB read, one fsync at the
 *   end (what a shared directory costs at best, on the local disk: NFS can only be slower), and
 *   the same with an fsync every 1 MiB; read back in 4 MiB reads;
 * - the writer alone, into a store that keeps nothing (its own share of every write time).
 *
 * Each store has its own database (or directory). Repetitions alternate: round 1 runs every store
 * once, round 2 in reverse order, and so on, so that other work on the machine weighs on all of
 * them alike; the server is restarted when the next store needs the other durability. For
 * PostgreSQL also: pg_total_relation_size growth for the 256 MiB, the WAL written, how the values
 * were stored (pg_column_compression, pg_column_size), and the CHECKPOINT right after (the pages
 * the WAL already held, written later by the checkpointer, not in the write time; a CHECKPOINT
 * precedes every repetition too). Everything is on this machine's disk; reads come from a warm
 * cache (page cache, shared_buffers) for every store alike. Samples:
 * bench/results/log-storage-<time>.json.
 */
import { execFileSync } from "node:child_process";
import { type Hash, createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { type FileHandle, open } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { type Db, createDb } from "../lib/db/client";
import { migrate } from "../lib/db/migrate";
import { newId } from "../lib/ids";
import { type ChunkStore, FencedError, createChunkStore } from "../lib/logs/chunk-store";
import { readWholeLog } from "../lib/logs/read-log";
import { RunLogWriter } from "../lib/logs/run-log-writer";
import { createDatabase, startPostgres } from "../tests/support/postgres";
import { cleanupAll, onCleanup } from "./support/cleanup";
import { MiB, summarize } from "./support/stats";

const QUICK = process.argv.includes("--quick");
const REPS = QUICK ? 1 : 3;
/** `--only=file,sqlite,pg`: some of the stores (trying the script out). */
const ONLY = process.argv
  .find((a) => a.startsWith("--only="))
  ?.slice("--only=".length)
  .split(",");
const wanted = (store: "file" | "sqlite" | "pg") => !ONLY || ONLY.includes(store);
const BYTES = 256 * MiB;
const READ = 64 * 1024;
const WORKER = "bench-worker";
/** The worker's defaults (lib/env.ts). */
const WRITER = {
  flushMs: 50,
  flushBytes: 256 * 1024,
  capBytes: 512 * MiB,
  bufferBytes: 8 * MiB,
  holder: WORKER,
};

type Sample = {
  writeMs: number;
  readMs?: number;
  chunks?: number;
  growthBytes?: number;
  walBytes?: number;
  checkpointMs?: number;
  sha256Equal: boolean;
};

type Result = { store: string; samples: Sample[]; notes: string[] };

// ---------------------------------------------------------------- the output

/** mulberry32: the same text on every run. */
function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Log-like printable lines (time, level, component, counters, ids, paths), `bytes` in all. */
function makeOutput(bytes: number): Buffer {
  const out = Buffer.allocUnsafe(bytes);
  const rnd = prng(20261202);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)] as T;
  const levels = ["INFO", "INFO", "INFO", "INFO", "DEBUG", "DEBUG", "WARN", "ERROR"] as const;
  const words = [
    "deploy",
    "cache",
    "migrate",
    "queue",
    "worker",
    "assets",
    "report",
    "sync",
    "index",
    "mail",
  ];
  const hex = () =>
    Math.floor(rnd() * 0x100000000)
      .toString(16)
      .padStart(8, "0");
  let t = Date.UTC(2026, 11, 2, 9, 0, 0);
  let pos = 0;
  for (let n = 1; pos < bytes; n++) {
    t += Math.floor(rnd() * 40);
    const line =
      `${new Date(t).toISOString()} ${pick(levels)} [${pick(words)}-${n % 16}] step ${n} ` +
      `id=${hex()}${hex()} took=${Math.floor(rnd() * 5000)}ms rows=${Math.floor(rnd() * 1e6)} ` +
      `/srv/app/${pick(words)}/${pick(words)}.php:${Math.floor(rnd() * 900) + 1}\n`;
    pos += out.write(line, pos, "latin1");
  }
  out[bytes - 1] = 10;
  return out;
}

const sha256 = (data: Buffer) => createHash("sha256").update(data).digest("hex");
const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

// ---------------------------------------------------------------- runs in the database

type Fixture = { environmentId: string; deploymentId: string; userId: string };

/** A user, a project, an environment and its deployment, through Prisma. */
async function createFixture(db: Db): Promise<Fixture> {
  const user = await db.user.create({
    data: { id: newId(), email: "bench@example.com", name: "Bench", passwordHash: "-" },
  });
  const project = await db.project.create({ data: { id: newId(), slug: "bench", name: "Bench" } });
  const env = await db.environment.create({
    data: { id: newId(), projectId: project.id, name: "main", type: "development", targetPath: "/srv" },
  });
  const deployment = await db.deployment.create({
    data: { id: newId(), environmentId: env.id, ok: true, config: "{}", createdById: user.id },
  });
  await db.environment.update({ where: { id: env.id }, data: { currentDeploymentId: deployment.id } });
  return { environmentId: env.id, deploymentId: deployment.id, userId: user.id };
}

/** A run claimed by WORKER, as claimNextRun leaves it. */
async function createRun(db: Db, fx: Fixture): Promise<string> {
  const run = await db.run.create({
    data: {
      id: newId(),
      environmentId: fx.environmentId,
      deploymentId: fx.deploymentId,
      app: "bench",
      operation: "print-256m",
      role: "contributor",
      command: "print 256 MiB",
      appDir: "/srv/app",
      queueKey: JSON.stringify([fx.environmentId, "bench", "", "print-256m"]),
      state: "in_progress",
      source: "api",
      triggeredById: fx.userId,
      startedAt: new Date(),
      workerId: WORKER,
      workerLabel: `${WORKER} (pid ${process.pid} on ${os.hostname()})`,
      leaseUntil: new Date(Date.now() + 3_600_000),
    },
  });
  return run.id;
}

/** Feeds `data` as pipe reads through the real writer and `store` (the database's by default); ms to close(). */
async function writeThroughRunops(
  url: string,
  runId: string,
  data: Buffer,
  store: ChunkStore = createChunkStore(url),
): Promise<number> {
  try {
    const writer = new RunLogWriter(store, () => undefined, runId, WRITER);
    const t0 = performance.now();
    for (let off = 0; off < data.length; off += READ) {
      if (!writer.write("stdout", data.subarray(off, off + READ))) {
        await new Promise<void>((resolve) => writer.onDrain(resolve));
      } else await turn();
    }
    await writer.close();
    const elapsed = performance.now() - t0;
    if (writer.fenced) throw new Error(`run ${runId}: the writer was fenced`);
    return elapsed;
  } finally {
    await store.close();
  }
}

/** Reads the whole stored log back as the log download does; ms and sha256. */
async function readThroughRunops(db: Db, runId: string): Promise<Read> {
  const hash = createHash("sha256");
  let bytes = 0;
  const t0 = performance.now();
  for await (const chunk of readWholeLog(db, runId)) {
    hash.update(chunk.data);
    bytes += chunk.data.length;
  }
  return read(t0, hash, bytes);
}

type Read = { ms: number; ok: boolean };

/** The time since t0, and whether the bytes read back are the bytes written. */
function read(t0: number, hash: Hash, bytes: number): Read {
  const ms = performance.now() - t0;
  return { ms, ok: hash.digest("hex") === expected() && bytes === BYTES };
}

async function checkTotals(db: Db, runId: string) {
  const run = await db.run.findUniqueOrThrow({ where: { id: runId } });
  if (Number(run.logBytes) !== BYTES || run.logTruncated) {
    throw new Error(`run ${runId}: logBytes ${run.logBytes}, truncated ${run.logTruncated}`);
  }
  return run.logSeq;
}

// ---------------------------------------------------------------- PostgreSQL

type Storage = { name: string; alter: string | null };

const STORAGES: Storage[] = [
  { name: "pglz (schema as is)", alter: null },
  { name: "lz4", alter: 'ALTER TABLE "LogChunk" ALTER COLUMN "data" SET COMPRESSION lz4' },
  {
    name: "EXTERNAL (no compression)",
    alter: 'ALTER TABLE "LogChunk" ALTER COLUMN "data" SET STORAGE EXTERNAL',
  },
];

async function scalar(client: pg.Client, sql: string, params: unknown[] = []): Promise<string> {
  // The first column of the first row (SHOW names its column after the setting).
  const res = await client.query<Record<string, unknown>>(sql, params);
  return String(Object.values(res.rows[0] ?? {})[0] ?? "");
}

type PgServer = {
  /** The server's `postgres` database (to create and drop the benchmark's own). */
  adminUrl: string;
  /** Restarts the server in `mode` unless it runs so already; its settings. */
  use(mode: Mode): Promise<Record<string, string>>;
};

/** tests/support/postgres.ts's throwaway server (fsync off), restartable with PostgreSQL's durable defaults. */
async function startServer(): Promise<PgServer> {
  const server = await startPostgres();
  onCleanup("PostgreSQL", () => server.stop());
  const admin = new URL(server.url);
  admin.pathname = "/postgres";
  const adminUrl = admin.toString();
  let mode: Mode = "fsync-off";
  let current = await settings(adminUrl);
  return {
    adminUrl,
    async use(next) {
      if (next !== mode) {
        await restart(adminUrl, next);
        mode = next;
        current = await settings(adminUrl);
      }
      return current;
    },
  };
}

/** pg_ctl restart on the same data directory, port and socket, as the server's OS user. */
async function restart(adminUrl: string, mode: Mode): Promise<void> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  const dataDir = await scalar(admin, "SHOW data_directory");
  const port = await scalar(admin, "SHOW port");
  const socketDir = await scalar(admin, "SHOW unix_socket_directories");
  const binDir = await scalar(admin, "SELECT setting AS v FROM pg_config WHERE name = 'BINDIR'");
  await admin.end();
  let user: { uid: number; gid: number } | Record<string, never> = {};
  if (process.getuid?.() === 0) {
    const line = readFileSync("/etc/passwd", "utf8")
      .split("\n")
      .find((l) => l.startsWith("postgres:"));
    const [, , uid, gid] = line?.split(":") ?? [];
    user = { uid: Number(uid), gid: Number(gid) };
  }
  const durability =
    mode === "durable"
      ? ["-c fsync=on", "-c synchronous_commit=on", "-c full_page_writes=on"]
      : ["-c fsync=off", "-c synchronous_commit=off", "-c full_page_writes=off"];
  const options = [
    "-c listen_addresses=127.0.0.1",
    `-p ${port}`,
    `-k ${socketDir}`,
    "-c max_connections=200",
    ...durability,
  ].join(" ");
  const args = ["-D", dataDir, "-l", path.join(socketDir, "server.log"), "-m", "fast", "-w", "-t", "60"];
  execFileSync(path.join(binDir, "pg_ctl"), [...args, "-o", options, "restart"], {
    stdio: "pipe",
    env: { ...process.env, LC_ALL: "C", LANG: "C" },
    ...user,
  });
}

async function settings(url: string): Promise<Record<string, string>> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const names = [
    "server_version",
    "fsync",
    "synchronous_commit",
    "full_page_writes",
    "wal_compression",
    "shared_buffers",
    "max_wal_size",
    "default_toast_compression",
  ];
  const res = await client.query<{ name: string; setting: string; unit: string | null }>(
    "SELECT name, setting, unit FROM pg_settings WHERE name = ANY($1)",
    [names],
  );
  await client.end();
  return Object.fromEntries(res.rows.map((r) => [r.name, r.unit ? `${r.setting} × ${r.unit}` : r.setting]));
}

/** One multi-row INSERT of four 1 MiB rows per 4 MiB, on one client: the database path's raw bound. */
async function rawInsert(client: pg.Client, runId: string, data: Buffer): Promise<number> {
  const ROW = MiB;
  const PER = 4;
  let seq = 0;
  const t0 = performance.now();
  for (let off = 0; off < data.length; off += ROW * PER) {
    const values: unknown[] = [];
    const rows: string[] = [];
    for (let k = 0; k < PER && off + k * ROW < data.length; k++) {
      const start = off + k * ROW;
      values.push(
        runId,
        ++seq,
        "stdout",
        data.subarray(start, start + ROW),
        new Date().toISOString().replace("Z", ""),
      );
      const b = k * 5;
      rows.push(`($${b + 1}, $${b + 2}, $${b + 3}, $${b + 4}, $${b + 5}, 0, 0)`);
    }
    await client.query(
      `INSERT INTO "LogChunk" ("runId", "seq", "stream", "data", "at", "lineStart", "newlines") VALUES ${rows.join(", ")}`,
      values,
    );
  }
  return performance.now() - t0;
}

/** The raw run's rows read back 4 at a time (4 MiB) on one client, hashed. */
async function rawRead(client: pg.Client, runId: string): Promise<Read> {
  const hash = createHash("sha256");
  let bytes = 0;
  let after = 0;
  const t0 = performance.now();
  for (;;) {
    const page = await client.query<{ seq: number; data: Buffer }>(
      'SELECT "seq", "data" FROM "LogChunk" WHERE "runId" = $1 AND "seq" > $2 ORDER BY "seq" LIMIT 4',
      [runId, after],
    );
    if (page.rows.length === 0) break;
    for (const r of page.rows) {
      hash.update(r.data);
      bytes += r.data.length;
      after = r.seq;
    }
  }
  return read(t0, hash, bytes);
}

// ---------------------------------------------------------------- option (b): a file per run, the index in the database

const INDEX_TABLE = `CREATE TABLE "BenchLogIndex" (
  "runId" TEXT NOT NULL REFERENCES "Run" ("id") ON DELETE CASCADE,
  "seq" INTEGER NOT NULL,
  "stream" TEXT NOT NULL,
  "pos" BIGINT NOT NULL,
  "length" INTEGER NOT NULL,
  "at" TIMESTAMP(3) NOT NULL,
  "lineStart" INTEGER NOT NULL,
  "newlines" INTEGER NOT NULL,
  PRIMARY KEY ("runId", "seq"))`;

/**
 * Option (b) at its best, as a ChunkStore: each batch's bytes appended to the run's file in
 * `dir` and fsynced, then the guard (the same UPDATE as chunk-store.ts) and the index rows in one
 * transaction. The bytes land before the guard is checked: a fenced worker leaves bytes in the
 * file that the index never names, so readers must trust the index, never the file's size.
 */
function fileIndexStore(url: string, dir: string): ChunkStore {
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  const files = new Map<string, { fh: FileHandle; size: number }>();
  return {
    async store(runId, batch, totals) {
      if (batch.length === 0) return;
      let file = files.get(runId);
      if (!file) {
        file = { fh: await open(path.join(dir, `${runId}.log`), "a"), size: 0 };
        files.set(runId, file);
      }
      const pos = file.size;
      const { bytesWritten } = await file.fh.writev(batch.map((c) => c.data));
      await file.fh.sync();
      file.size += bytesWritten;
      const client = await pool.connect();
      try {
        await client.query("BEGIN");
        const held = await client.query(
          'UPDATE "Run" SET "logSeq" = $1, "logBytes" = "logBytes" + $2, "logLines" = $3, "logTruncated" = $4 WHERE "id" = $5 AND ($6::text IS NULL OR ("workerId" = $6 AND "state" = \'in_progress\'))',
          [totals.seq, totals.bytes, totals.lines, totals.truncated, runId, totals.holder],
        );
        if (held.rowCount === 0) throw new FencedError(runId);
        const values: unknown[] = [];
        let at = pos;
        const rows = batch.map((c, i) => {
          values.push(
            runId,
            c.seq,
            c.stream,
            at,
            c.data.length,
            c.at.toISOString().replace("Z", ""),
            c.lineStart,
            c.newlines,
          );
          at += c.data.length;
          const b = i * 8;
          return `(${Array.from({ length: 8 }, (_, k) => `$${b + k + 1}`).join(", ")})`;
        });
        await client.query(
          `INSERT INTO "BenchLogIndex" ("runId", "seq", "stream", "pos", "length", "at", "lineStart", "newlines") VALUES ${rows.join(", ")}`,
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
      for (const file of files.values()) await file.fh.close();
      files.clear();
      await pool.end();
    },
  };
}

/** A viewer catching up on option (b): the index 500 rows a page, each chunk read at its position. */
async function readFileIndex(client: pg.Client, dir: string, runId: string): Promise<Read> {
  const hash = createHash("sha256");
  let bytes = 0;
  let after = 0;
  const t0 = performance.now();
  const fh = await open(path.join(dir, `${runId}.log`), "r");
  try {
    for (;;) {
      const page = await client.query<{ seq: number; pos: string; length: number }>(
        'SELECT "seq", "pos"::text AS "pos", "length" FROM "BenchLogIndex" WHERE "runId" = $1 AND "seq" > $2 ORDER BY "seq" LIMIT 500',
        [runId, after],
      );
      if (page.rows.length === 0) break;
      for (const r of page.rows) {
        const buf = Buffer.allocUnsafe(r.length);
        const { bytesRead } = await fh.read(buf, 0, r.length, Number(r.pos));
        if (bytesRead !== r.length) throw new Error(`run ${runId}: chunk ${r.seq} cut short`);
        hash.update(buf);
        bytes += bytesRead;
        after = r.seq;
      }
    }
  } finally {
    await fh.close();
  }
  return read(t0, hash, bytes);
}

// ---------------------------------------------------------------- the stores, one repetition at a time

/** What one store measures; repetitions of all stores alternate (round-robin, order reversed every other round). */
type Store = {
  name: string;
  /** The PostgreSQL set-up it needs (the server is restarted when it changes). */
  server?: Mode;
  notes: string[];
  prepare(): Promise<void>;
  rep(i: number): Promise<Sample>;
  finish(): Promise<void>;
};

type Mode = "durable" | "fsync-off";

/** A database of its own on the server, migrated; `setup` runs once on it (Prisma and pg). */
function pgDatabase(server: PgServer, name: string, setup: (db: Db, client: pg.Client) => Promise<void>) {
  let url = "";
  return {
    url: () => url,
    async create() {
      url = await createDatabase(server.adminUrl, name);
      await migrate(url);
      await withDatabase(url, (db, client) => setup(db, client));
    },
    async drop() {
      if (!url) return;
      const admin = new pg.Client({ connectionString: server.adminUrl });
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS "${new URL(url).pathname.slice(1)}"`);
      await admin.end();
    },
  };
}

/** Fresh connections for each repetition: a restart of the server ends the old ones. */
async function withDatabase<T>(url: string, fn: (db: Db, client: pg.Client) => Promise<T>): Promise<T> {
  const db = createDb(url);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(db, client);
  } finally {
    await db.$disconnect();
    await client.end();
  }
}

const relationSize = async (client: pg.Client, table: string) =>
  Number(await scalar(client, `SELECT pg_total_relation_size('"${table}"')::text AS v`));

/** (a): the real writer and chunk store, read back with readWholeLog (Prisma). */
function postgresStore(server: PgServer, mode: Mode, storage: Storage): Store {
  let fx: Fixture | null = null;
  const database = pgDatabase(server, "bench_log_rows", async (db, client) => {
    if (storage.alter) await client.query(storage.alter);
    fx = await createFixture(db);
  });
  const store: Store = {
    name: `(a) PostgreSQL rows, ${mode === "durable" ? "durable" : "fsync off (the test server)"}, ${storage.name}`,
    server: mode,
    notes: [],
    prepare: () => database.create(),
    rep: (i) =>
      withDatabase(database.url(), async (db, client) => {
        if (!fx) throw new Error("no fixture");
        const runId = await createRun(db, fx);
        await client.query("CHECKPOINT");
        const size0 = await relationSize(client, "LogChunk");
        const lsn0 = await scalar(client, "SELECT pg_current_wal_lsn()::text AS v");
        const writeMs = await writeThroughRunops(database.url(), runId, data());
        const walBytes = Number(
          await scalar(client, "SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), $1)::text AS v", [lsn0]),
        );
        const c0 = performance.now();
        await client.query("CHECKPOINT");
        const checkpointMs = performance.now() - c0;
        const growthBytes = (await relationSize(client, "LogChunk")) - size0;
        const chunks = await checkTotals(db, runId);
        const read = await readThroughRunops(db, runId);
        if (i === 0) {
          const stored = await client.query<{ method: string; n: number; raw: string; stored: string }>(
            `SELECT coalesce(pg_column_compression("data"), 'none') AS method, count(*)::int AS n,
                    sum(length("data"))::text AS raw, sum(pg_column_size("data"))::text AS stored
             FROM "LogChunk" WHERE "runId" = $1 GROUP BY 1 ORDER BY 2 DESC`,
            [runId],
          );
          for (const r of stored.rows) {
            store.notes.push(
              `${r.n} values ${r.method === "none" ? "not compressed" : `compressed with ${r.method}`}: ` +
                `${(Number(r.raw) / MiB).toFixed(1)} MiB → ${(Number(r.stored) / MiB).toFixed(1)} MiB stored`,
            );
          }
        }
        return {
          writeMs,
          readMs: read.ms,
          chunks,
          growthBytes,
          walBytes,
          checkpointMs,
          sha256Equal: read.ok,
        };
      }),
    finish: () => database.drop(),
  };
  return store;
}

/** (iv): the database path's raw bound, no writer, no guard, no totals. */
function rawStore(server: PgServer, storage: Storage): Store {
  let fx: Fixture | null = null;
  const database = pgDatabase(server, "bench_log_raw", async (db, client) => {
    if (storage.alter) await client.query(storage.alter);
    fx = await createFixture(db);
  });
  return {
    name: `(a) raw bound: one client, INSERT of 4 × 1 MiB rows a statement, SELECT 4 rows a page, ${storage.name}`,
    server: "durable",
    notes: [],
    prepare: () => database.create(),
    rep: () =>
      withDatabase(database.url(), async (db, client) => {
        if (!fx) throw new Error("no fixture");
        const runId = await createRun(db, fx);
        await client.query("CHECKPOINT");
        const size0 = await relationSize(client, "LogChunk");
        const lsn0 = await scalar(client, "SELECT pg_current_wal_lsn()::text AS v");
        const writeMs = await rawInsert(client, runId, data());
        const walBytes = Number(
          await scalar(client, "SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), $1)::text AS v", [lsn0]),
        );
        const c0 = performance.now();
        await client.query("CHECKPOINT");
        const checkpointMs = performance.now() - c0;
        const growthBytes = (await relationSize(client, "LogChunk")) - size0;
        const read = await rawRead(client, runId);
        const chunks = Math.ceil(BYTES / MiB);
        return {
          writeMs,
          readMs: read.ms,
          chunks,
          growthBytes,
          walBytes,
          checkpointMs,
          sha256Equal: read.ok,
        };
      }),
    finish: () => database.drop(),
  };
}

/** (b) at its best: the writer into a per-run file on the local disk, the index and the guard in PostgreSQL. */
function fileIndexedStore(server: PgServer, dir: string): Store {
  let fx: Fixture | null = null;
  const filesDir = path.join(dir, "shared-logs");
  const database = pgDatabase(server, "bench_log_files", async (db, client) => {
    await client.query(INDEX_TABLE);
    fx = await createFixture(db);
  });
  return {
    name: "(b) writer → a file per run, fsync per batch, + index and guard in PostgreSQL (local disk)",
    server: "durable",
    notes: ["size: the file plus the index table; WAL: the index's and the runs' totals"],
    async prepare() {
      mkdirSync(filesDir, { recursive: true });
      await database.create();
    },
    rep: () =>
      withDatabase(database.url(), async (db, client) => {
        if (!fx) throw new Error("no fixture");
        const runId = await createRun(db, fx);
        const file = path.join(filesDir, `${runId}.log`);
        await client.query("CHECKPOINT");
        const size0 = await relationSize(client, "BenchLogIndex");
        const lsn0 = await scalar(client, "SELECT pg_current_wal_lsn()::text AS v");
        const writeMs = await writeThroughRunops(
          database.url(),
          runId,
          data(),
          fileIndexStore(database.url(), filesDir),
        );
        const walBytes = Number(
          await scalar(client, "SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), $1)::text AS v", [lsn0]),
        );
        const c0 = performance.now();
        await client.query("CHECKPOINT");
        const checkpointMs = performance.now() - c0;
        const growthBytes = (await relationSize(client, "BenchLogIndex")) - size0 + statSync(file).size;
        const chunks = await checkTotals(db, runId);
        const read = await readFileIndex(client, filesDir, runId);
        rmSync(file);
        return {
          writeMs,
          readMs: read.ms,
          chunks,
          growthBytes,
          walBytes,
          checkpointMs,
          sha256Equal: read.ok,
        };
      }),
    finish: () => database.drop(),
  };
}

function sqliteStore(dir: string): Store {
  const file = path.join(dir, "sqlite", "runops.db");
  const url = `file:${file}`;
  let fx: Fixture | null = null;
  const size = () =>
    [file, `${file}-wal`].reduce((sum, f) => {
      try {
        return sum + statSync(f).size;
      } catch {
        return sum;
      }
    }, 0);
  return {
    name: "SQLite (temp file, WAL), for reference",
    notes: ["size: the database file plus its WAL"],
    async prepare() {
      mkdirSync(path.dirname(file), { recursive: true });
      await migrate(url);
      const db = createDb(url);
      fx = await createFixture(db);
      await db.$disconnect();
    },
    async rep() {
      const db = createDb(url);
      try {
        if (!fx) throw new Error("no fixture");
        const runId = await createRun(db, fx);
        const size0 = size();
        const writeMs = await writeThroughRunops(url, runId, data());
        const chunks = await checkTotals(db, runId);
        const growthBytes = size() - size0;
        const read = await readThroughRunops(db, runId);
        return { writeMs, readMs: read.ms, chunks, growthBytes, sha256Equal: read.ok };
      } finally {
        await db.$disconnect();
      }
    },
    async finish() {},
  };
}

/** (iii): the bytes appended to a file, each 64 KiB read one write; read back in 4 MiB reads. */
function fileStore(dir: string, syncEvery: number | null): Store {
  return {
    name:
      syncEvery === null
        ? "(iii) file: a write per 64 KiB read, one fsync at the end"
        : "(iii) file: a write per 64 KiB read, fsync every 1 MiB",
    notes: [],
    async prepare() {},
    async rep(i) {
      const file = path.join(dir, `file-${syncEvery ?? "end"}-${i}.log`);
      const bytes = data();
      const fh = await open(file, "w");
      const t0 = performance.now();
      let unsynced = 0;
      for (let off = 0; off < bytes.length; off += READ) {
        const piece = bytes.subarray(off, off + READ);
        await fh.write(piece);
        unsynced += piece.length;
        if (syncEvery !== null && unsynced >= syncEvery) {
          await fh.sync();
          unsynced = 0;
        }
      }
      await fh.sync();
      await fh.close();
      const writeMs = performance.now() - t0;
      const hash = createHash("sha256");
      const buf = Buffer.allocUnsafe(4 * MiB);
      let got = 0;
      const r0 = performance.now();
      const rh = await open(file, "r");
      for (;;) {
        const { bytesRead } = await rh.read(buf, 0, buf.length, null);
        if (bytesRead === 0) break;
        hash.update(buf.subarray(0, bytesRead));
        got += bytesRead;
      }
      await rh.close();
      const readMs = performance.now() - r0;
      const growthBytes = statSync(file).size;
      rmSync(file);
      return {
        writeMs,
        readMs,
        growthBytes,
        sha256Equal: hash.digest("hex") === expected() && got === BYTES,
      };
    },
    async finish() {},
  };
}

/** The writer's own cost: RunLogWriter fed the same way into a store that keeps nothing. */
function writerAlone(): Store {
  return {
    name: "RunLogWriter alone (a store that keeps nothing)",
    notes: ["sha256 column: the bytes are only counted"],
    async prepare() {},
    async rep(i) {
      let bytes = 0;
      const store: ChunkStore = {
        async store(_runId, batch) {
          for (const c of batch) bytes += c.data.length;
        },
        async finish() {},
        async close() {},
      };
      const writeMs = await writeThroughRunops("", `null-${i}`, data(), store);
      return { writeMs, sha256Equal: bytes === BYTES };
    },
    async finish() {},
  };
}

// ---------------------------------------------------------------- report and main

let output: Buffer | null = null;
let outputSha256 = "";
const data = () => {
  if (!output) throw new Error("no output generated");
  return output;
};
const expected = () => outputSha256;

function median(values: Array<number | undefined>): number {
  const defined = values.filter((v): v is number => v !== undefined);
  return defined.length > 0 ? summarize(defined).median : NaN;
}

function row(r: Result): string {
  const w = median(r.samples.map((s) => s.writeMs));
  const rd = median(r.samples.map((s) => s.readMs));
  const growth = median(r.samples.map((s) => s.growthBytes));
  const wal = median(r.samples.map((s) => s.walBytes));
  const cp = median(r.samples.map((s) => s.checkpointMs));
  const chunks = median(r.samples.map((s) => s.chunks));
  const speed = (t: number) => (Number.isFinite(t) ? `${(BYTES / MiB / (t / 1000)).toFixed(0)}` : "—");
  const secs = (t: number) => (Number.isFinite(t) ? `${(t / 1000).toFixed(2)}` : "—");
  const mib = (b: number) => (Number.isFinite(b) ? `${(b / MiB).toFixed(b < 10 * MiB ? 1 : 0)}` : "—");
  const ok = r.samples.length > 0 && r.samples.every((s) => s.sha256Equal) ? "equal" : "DIFFERENT";
  return (
    `| ${r.store} | ${secs(w)} | ${speed(w)} | ${secs(rd)} | ${speed(rd)} | ${mib(growth)} | ${mib(wal)} | ` +
    `${Number.isFinite(cp) ? cp.toFixed(0) : "—"} | ${Number.isFinite(chunks) ? chunks : "—"} | ${ok} |`
  );
}

const fmt = (s: Sample) =>
  `write ${(s.writeMs / 1000).toFixed(2)} s` +
  (s.readMs !== undefined ? `, read ${(s.readMs / 1000).toFixed(2)} s` : "") +
  (s.chunks !== undefined ? `, ${s.chunks} chunks` : "") +
  (s.growthBytes !== undefined ? `, +${(s.growthBytes / MiB).toFixed(0)} MiB` : "") +
  (s.walBytes !== undefined ? `, WAL ${(s.walBytes / MiB).toFixed(0)} MiB` : "") +
  (s.checkpointMs !== undefined ? `, checkpoint ${s.checkpointMs.toFixed(0)} ms` : "") +
  (s.sha256Equal ? "" : ", SHA256 DIFFERENT");

async function main() {
  const loadBefore = os.loadavg();
  const dir = mkdtempSync(path.join(os.tmpdir(), "runops-log-storage-"));
  onCleanup("temp dir", () => rmSync(dir, { recursive: true, force: true }));

  console.error(`log-storage: generating ${BYTES / MiB} MiB of log lines…`);
  output = makeOutput(BYTES);
  const h0 = performance.now();
  outputSha256 = sha256(output);
  const hashMs = performance.now() - h0;
  console.error(`  sha256 ${outputSha256.slice(0, 16)}… (hashing alone: ${hashMs.toFixed(0)} ms)`);

  const stores: Store[] = [];
  if (wanted("file")) stores.push(writerAlone(), fileStore(dir, null), fileStore(dir, MiB));
  if (wanted("sqlite")) stores.push(sqliteStore(dir));
  let server: PgServer | null = null;
  let testSettings: Record<string, string> = {};
  let durableSettings: Record<string, string> = {};
  if (wanted("pg")) {
    console.error("log-storage: starting PostgreSQL (tests/support/postgres.ts)");
    server = await startServer();
    testSettings = await settings(server.adminUrl);
    const first = STORAGES[0] as Storage;
    stores.push(postgresStore(server, "fsync-off", first));
    for (const storage of STORAGES)
      stores.push(postgresStore(server, "durable", storage), rawStore(server, storage));
    stores.push(fileIndexedStore(server, dir));
  }

  const results: Result[] = stores.map((s) => ({ store: s.name, samples: [], notes: s.notes }));
  try {
    for (const s of stores) await s.prepare();
    for (let round = 0; round < REPS; round++) {
      console.error(`log-storage: round ${round + 1} of ${REPS} (load ${os.loadavg()[0]?.toFixed(2)})`);
      const order = stores.map((s, i) => ({ s, i }));
      if (round % 2 === 1) order.reverse();
      for (const { s, i } of order) {
        if (s.server && server) {
          const now = await server.use(s.server);
          if (s.server === "durable") durableSettings = now;
        }
        const sample = await s.rep(round);
        results[i]?.samples.push(sample);
        console.error(`  ${s.name}: ${fmt(sample)}`);
      }
    }
  } finally {
    for (const s of stores) await s.finish().catch((e: unknown) => console.error(e));
  }

  const loadAfter = os.loadavg();
  const table = [
    `256 MiB (${BYTES} bytes) of log lines in 64 KiB reads; median of ${REPS}; sha256 of the input ` +
      `${outputSha256.slice(0, 12)}…; hashing alone ${hashMs.toFixed(0)} ms (part of every read time)`,
    "",
    "| store | write s | write MiB/s | read s | read MiB/s | size +MiB | WAL MiB | checkpoint after, ms | chunks | sha256 |",
    "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ...results.map(row),
  ].join("\n");
  console.log(table);
  console.log("");
  for (const r of results) for (const n of r.notes) console.log(`- ${r.store}: ${n}`);
  const load = (l: number[]) => l.map((x) => x.toFixed(2)).join(" ");
  console.log(
    `- load average before ${load(loadBefore)}, after ${load(loadAfter)} (${os.cpus().length} CPUs)`,
  );
  if (server) {
    console.log(`- PostgreSQL as the tests start it: ${JSON.stringify(testSettings)}`);
    console.log(`- PostgreSQL durable: ${JSON.stringify(durableSettings)}`);
  }

  const resultsDir = path.join(import.meta.dirname, "results");
  mkdirSync(resultsDir, { recursive: true });
  const stamp = new Date().toISOString().replaceAll(":", "-").slice(0, 19);
  const file = path.join(resultsDir, `log-storage-${stamp}Z.json`);
  const machine = {
    cpus: os.cpus().length,
    cpu: os.cpus()[0]?.model,
    memory: os.totalmem(),
    loadBefore,
    loadAfter,
  };
  const record = {
    bytes: BYTES,
    read: READ,
    reps: REPS,
    writer: WRITER,
    sha256: outputSha256,
    hashMs,
    machine,
  };
  const postgres = { testSettings, durableSettings };
  writeFileSync(file, `${JSON.stringify({ ...record, postgres, results }, null, 2)}\n`);
  console.error(`log-storage: samples in ${path.relative(process.cwd(), file)}`);
  if (!results.every((r) => r.samples.length > 0 && r.samples.every((s) => s.sha256Equal)))
    process.exitCode = 1;
}

main()
  .catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(() => cleanupAll());
