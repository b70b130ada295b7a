import pg from "pg";
import type { DatabaseProvider, Db } from "../db/client";
import type { Run } from "../db/generated/sqlite/client.ts";
import { databaseProvider, postgresTarget } from "../db/url";

/** The pool of workers started without --pool, and of runs of environments that name none. */
export const DEFAULT_POOL = "default";

/**
 * The first key of the transaction-level advisory locks a claim takes on
 * PostgreSQL, one per queue key (the second key is hashtext(queueKey)). The
 * two-key form is a lock space of its own: it never meets a one-key lock
 * such as the migrator's.
 */
const QUEUE_LOCK_CLASS = 72_201_001;

/** A claim whose fresh check found its queue taken is tried again with the next candidate. */
const ATTEMPTS = 3;

export type ClaimingWorker = {
  id: string;
  /** How the run names it: "name (pid N on host)". */
  label: string;
  /** Only runs of this pool are claimed (default: "default"). */
  pool?: string;
};

/**
 * Claims the oldest runnable pending run of the worker's pool for it, or
 * returns null. A run is runnable when it is the oldest pending run of its
 * queue key and no run of that key is in progress (whatever their pools: a
 * queue key is one operation on one environment). The run becomes
 * `in_progress` with this worker's id and label and a lease of `leaseMs`
 * before anything is spawned, and only from `pending`: a run is started at
 * most once. The row returned is the run's complete snapshot (the worker
 * reads nothing else).
 *
 * PostgreSQL: a queue, claimers do not wait for each other (claimOnPostgres).
 * SQLite: one writer, so claims are serial (claimOnSqlite).
 */
export async function claimNextRun(
  db: Db,
  provider: DatabaseProvider,
  worker: ClaimingWorker,
  leaseMs: number,
): Promise<Run | null> {
  return (await claimRuns(db, provider, worker, leaseMs, 1))[0] ?? null;
}

/**
 * claimNextRun for up to `max` runs in one transaction (a worker with several
 * free slots): the oldest runnable runs, each of another queue key, oldest first.
 */
export async function claimRuns(
  db: Db,
  provider: DatabaseProvider,
  worker: ClaimingWorker,
  leaseMs: number,
  max: number,
): Promise<Run[]> {
  if (max < 1) return [];
  const claimer = { ...worker, pool: worker.pool ?? DEFAULT_POOL };
  const runs =
    provider === "postgresql"
      ? await claimOnPostgres(db, claimer, leaseMs, max)
      : await claimOnSqlite(db, claimer, leaseMs, max);
  return runs.sort((a, b) => (a.id < b.id ? -1 : 1));
}

/**
 * Why this is safe under READ COMMITTED (pinned below: it rests on each
 * statement taking a fresh snapshot), with several workers claiming at once:
 *
 * 1. The candidate (one statement): the oldest pending run of the pool that is
 *    the oldest pending run of its queue key and whose key has nothing in
 *    progress, as this statement's snapshot sees it. Only for such a row is a
 *    lock on its queue key tried (CASE fixes that order: it is never taken
 *    for a row that fails the checks), and only a row whose key lock was
 *    obtained is row-locked, `FOR UPDATE SKIP LOCKED`: claimers skip what
 *    another claimer holds instead of waiting for it.
 *    - Two claimers on one candidate: the second finds the key lock (or the
 *      row lock) taken and skips the whole key, since the candidate is still
 *      pending in its snapshot and every later run of that key has it as an
 *      older pending run.
 *    - The candidate claimed, cancelled or finished between the snapshot and
 *      its row lock: the lock follows the row to its latest version and
 *      re-checks `state = 'pending'` on it (EvalPlanQual), so it is skipped.
 *    - A run of the key finishing meanwhile: the stale snapshot still shows
 *      it in progress, so the key is skipped this time; its `ended` event
 *      wakes every worker to claim again.
 * 2. The claim (a second statement, so a fresh snapshot, taken after the key
 *    lock was obtained): `UPDATE … WHERE state = 'pending'` and, checked
 *    again, nothing of the key in progress nor pending before it. Each claim
 *    of a key holds that key's lock from its candidate to its commit, and a
 *    commit is visible before its locks are released, so a claim sees every
 *    earlier claim of the same key. That closes the one hole a single
 *    statement leaves: run ids are made by the console processes before
 *    their insert commits, so an older id can become visible after a newer
 *    one (two triggers at once, clocks of two console hosts); a claimer whose
 *    snapshot lacks the older run may claim the newer one while another,
 *    whose snapshot has it, claims the older — and the first may have
 *    committed and released its key lock just before the second took it, in
 *    the second's stale snapshot. The fresh check refuses that claim.
 *
 * Leases and fencing are untouched: the claim sets `leaseUntil`; a later
 * write of the run (log batches, its end) is guarded by worker id and state.
 * Every claimer must take these key locks: workers of a version that took one
 * global lock instead must not claim beside this one (decision 0009).
 */
async function claimOnPostgres(db: Db, worker: Required<ClaimingWorker>, leaseMs: number, max: number) {
  const inTransaction: InTransaction = (work) =>
    db.$transaction(async (tx) => {
      // The analysis above needs a snapshot per statement, whatever the database's default.
      await tx.$executeRaw`SET TRANSACTION ISOLATION LEVEL READ COMMITTED`;
      return work((sql, params) => tx.$queryRawUnsafe(sql, ...params));
    });
  // Prisma writes a Date as UTC text, and reads RETURNING rows in the model's
  // own types (Dates, BigInt logBytes, booleans): each row is what findUnique returns.
  return claimInTransactions(inTransaction, worker, leaseMs, max, (d) => d);
}

/** One statement of the claim's transaction: `sql` with $1… parameters, and its rows. */
type Query = <T>(sql: string, params: unknown[]) => Promise<T[]>;
/** Runs `work` in one READ COMMITTED transaction. */
type InTransaction = <T>(work: (query: Query) => Promise<T>) => Promise<T>;

// Rows come in id order, so a key's second pending run always finds its first one pending:
// the candidates are of distinct keys.
const CANDIDATES = `
  SELECT r.id FROM "Run" r
  WHERE r.pool = $1 AND r.state = 'pending'
    AND CASE
      WHEN EXISTS (SELECT 1 FROM "Run" b
                   WHERE b."queueKey" = r."queueKey" AND b.state = 'in_progress') THEN false
      WHEN EXISTS (SELECT 1 FROM "Run" o
                   WHERE o."queueKey" = r."queueKey" AND o.state = 'pending' AND o.id < r.id) THEN false
      ELSE pg_try_advisory_xact_lock(${QUEUE_LOCK_CLASS}, hashtext(r."queueKey"))
    END
  ORDER BY r.id
  LIMIT $2
  FOR UPDATE OF r SKIP LOCKED`;

// The candidates' keys differ, so the checks (on this statement's snapshot) cannot miss a run
// this statement itself claims.
const CLAIM = `
  UPDATE "Run" r SET state = 'in_progress', "workerId" = $1, "workerLabel" = $2,
    "startedAt" = $3::timestamp(3), "leaseUntil" = $4::timestamp(3)
  WHERE r.id = ANY($5::text[]) AND r.state = 'pending'
    AND NOT EXISTS (SELECT 1 FROM "Run" b
                    WHERE b."queueKey" = r."queueKey" AND b.state = 'in_progress')
    AND NOT EXISTS (SELECT 1 FROM "Run" o
                    WHERE o."queueKey" = r."queueKey" AND o.state = 'pending' AND o.id < r.id)
  RETURNING r.*`;

async function claimInTransactions(
  inTransaction: InTransaction,
  worker: Required<ClaimingWorker>,
  leaseMs: number,
  max: number,
  time: (d: Date) => unknown,
): Promise<Run[]> {
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const outcome = await inTransaction(async (query) => {
      const candidates = await query<{ id: string }>(CANDIDATES, [worker.pool, max]);
      if (candidates.length === 0) return { runs: [], retry: false };
      const now = new Date();
      const runs = await query<Run>(CLAIM, [
        worker.id,
        worker.label,
        time(now),
        time(new Date(now.getTime() + leaseMs)),
        candidates.map((c) => c.id),
      ]);
      return { runs, retry: runs.length === 0 };
    });
    if (!outcome.retry) return outcome.runs;
  }
  return [];
}

/** A worker's claims, on a connection of their own (PostgreSQL) or through Prisma (SQLite). */
export interface RunClaimer {
  claim(worker: ClaimingWorker, leaseMs: number, max: number): Promise<Run[]>;
  close(): Promise<void>;
}

/**
 * The claim of a worker process. On PostgreSQL it talks to the driver
 * directly, as the log's write path does (decision 0005): the same statements
 * cost a worker ~1.4 ms of CPU per claim through Prisma's interactive
 * transaction against ~0.4 ms, and the claim is on every run's path
 * (decision 0009). Rows are read in the model's types.
 */
export function createRunClaimer(db: Db, url: string): RunClaimer {
  if (databaseProvider(url) !== "postgresql") {
    return {
      claim: (worker, leaseMs, max) => claimRuns(db, "sqlite", worker, leaseMs, max),
      close: async () => undefined,
    };
  }
  const { connectionString, schema } = postgresTarget(url);
  const pool = new pg.Pool({
    connectionString,
    max: 2,
    types: { getTypeParser: modelTypes },
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
  });
  const inTransaction: InTransaction = async (work) => {
    const client = await pool.connect();
    try {
      await client.query("BEGIN ISOLATION LEVEL READ COMMITTED");
      const result = await work(async (sql, params) => (await client.query(sql, params)).rows);
      await client.query("COMMIT");
      return result;
    } catch (error) {
      await client.query("ROLLBACK").catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  };
  return {
    async claim(worker, leaseMs, max) {
      if (max < 1) return [];
      const runs = await claimInTransactions(
        inTransaction,
        { ...worker, pool: worker.pool ?? DEFAULT_POOL },
        leaseMs,
        max,
        // "timestamp(3)" without zone holds UTC, as Prisma writes it.
        (d) => d.toISOString().replace("Z", ""),
      );
      return runs.sort((a, b) => (a.id < b.id ? -1 : 1));
    },
    close: () => pool.end(),
  };
}

const TIMESTAMP = 1114;
const INT8 = 20;

/** Parsers that read a Run row as Prisma does: timestamps (UTC, no zone) as Dates, int8 as BigInt. */
const modelTypes = ((oid: number, format?: "text" | "binary") => {
  if (oid === TIMESTAMP) return (value: string) => new Date(`${value.replace(" ", "T")}Z`);
  if (oid === INT8) return (value: string) => BigInt(value);
  return format === "binary" ? pg.types.getTypeParser(oid, "binary") : pg.types.getTypeParser(oid, "text");
}) as typeof pg.types.getTypeParser;

/**
 * SQLite has one writer: the claim is one UPDATE whose subquery picks the
 * candidates, so it reads the latest state under the write lock and nothing
 * can come between the choice and the claim: one statement, where a read
 * then a write in a transaction would hold the writer's lock (lib/db/sqlite-adapter.ts)
 * for two round trips. The times come from SQLite under
 * that lock, in the text form Prisma writes (`…T12:00:00.000+00:00`).
 */
async function claimOnSqlite(db: Db, worker: Required<ClaimingWorker>, leaseMs: number, max: number) {
  const lease = `+${(leaseMs / 1000).toFixed(3)} seconds`;
  const claimed = await db.$queryRaw<Array<{ id: string }>>`
    UPDATE "Run" SET state = 'in_progress', "workerId" = ${worker.id}, "workerLabel" = ${worker.label},
      "startedAt" = strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now'),
      "leaseUntil" = strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now', ${lease})
    WHERE state = 'pending' AND id IN (
      SELECT r.id FROM "Run" r
      WHERE r.pool = ${worker.pool} AND r.state = 'pending'
        AND NOT EXISTS (SELECT 1 FROM "Run" b
                        WHERE b."queueKey" = r."queueKey" AND b.state = 'in_progress')
        AND NOT EXISTS (SELECT 1 FROM "Run" o
                        WHERE o."queueKey" = r."queueKey" AND o.state = 'pending' AND o.id < r.id)
      ORDER BY r.id
      LIMIT ${max})
    RETURNING id`;
  if (claimed.length === 0) return [];
  // Raw rows of SQLite are not the model's types (dates are text): read them back through Prisma.
  return db.run.findMany({ where: { id: { in: claimed.map((c) => c.id) } } });
}

export type ClaimedRun = Run;
