/**
 * Run history generated straight into the database, bypassing the API: prepared INSERTs in
 * transactions of 50,000 runs on SQLite, INSERT … SELECT FROM json_to_recordset (20,000 runs a
 * statement) on PostgreSQL. The table's secondary indexes are dropped during the load and created
 * again from their own definitions afterwards, and foreign-key checks are off during the load:
 * the same end state, built faster. Then the database is brought to a steady state (SQLite: WAL
 * checkpoint; PostgreSQL: VACUUM ANALYZE), so that the measurement does not pay for the load.
 * Ids follow lib/ids.ts's format (10 characters of milliseconds, a counter, randomness) so their
 * order is creation order, as runops' own.
 */
import { createRequire } from "node:module";
import path from "node:path";
import type { Db } from "../../lib/db/client";

const ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz";

function idAt(ms: number, counter: number, random: () => number): string {
  let time = "";
  let t = ms;
  for (let i = 0; i < 10; i++) {
    time = ALPHABET[t % 32] + time;
    t = Math.floor(t / 32);
  }
  let count = "";
  let c = counter;
  for (let i = 0; i < 3; i++) {
    count = ALPHABET[c % 32] + count;
    c = Math.floor(c / 32);
  }
  let tail = "";
  for (let i = 0; i < 7; i++) tail += ALPHABET[Math.floor(random() * 32)];
  return time + count + tail;
}

/** A small deterministic PRNG (mulberry32), so two runs generate the same history. */
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

export interface HistorySpec {
  environmentId: string;
  deploymentId: string;
  appDir: string;
  count: number;
  /** Operation names to spread the runs over (uniformly). */
  operations: string[];
  /** User ids with weights (who triggered). */
  users: Array<{ id: string; weight: number }>;
  /** Seeds the pseudo-random choices (10% failures, of which 1 in 10 cancelled). */
  seed: number;
}

export interface History {
  /** Ids in creation order (oldest first). */
  ids: string[];
}

const COLUMNS = [
  "id",
  "environmentId",
  "deploymentId",
  "app",
  "operation",
  "role",
  "command",
  "appDir",
  "queueKey",
  "state",
  "result",
  "exitCode",
  "reason",
  "source",
  "triggeredById",
  "createdAt",
  "startedAt",
  "finishedAt",
  "logSeq",
  "logBytes",
  "logLines",
] as const;

export interface HistoryTarget {
  provider: "sqlite" | "postgresql";
  /** The database URL (SQLite: file:…). */
  url: string;
  /** The measured copy: its better-sqlite3 is the one Prisma loaded (one native module per process). */
  sourceDir: string;
  /** The Prisma client (PostgreSQL inserts go through it). */
  db: Db;
}

export async function generateHistory(target: HistoryTarget, spec: HistorySpec): Promise<History> {
  const random = prng(spec.seed);
  const totalWeight = spec.users.reduce((s, u) => s + u.weight, 0);
  const pickUser = () => {
    let r = random() * totalWeight;
    for (const u of spec.users) {
      r -= u.weight;
      if (r < 0) return u.id;
    }
    return spec.users[0]?.id ?? "";
  };
  // One run every 20 s, ending now.
  const step = 20_000;
  const start = Date.now() - spec.count * step;
  const sqlite = target.provider === "sqlite";
  // Prisma's SQLite adapter stores DateTime as ISO-8601 text with an explicit offset.
  const date = (ms: number) =>
    sqlite ? new Date(ms).toISOString().replace("Z", "+00:00") : new Date(ms).toISOString();
  const ids: string[] = [];
  const row = (i: number) => {
    const created = start + i * step;
    const id = idAt(created, 0, random);
    ids.push(id);
    const operation = spec.operations[Math.floor(random() * spec.operations.length)] ?? "op";
    const roll = random();
    const cancelled = roll < 0.01;
    const failed = roll < 0.1;
    const lines = Math.floor(random() * 2000);
    return {
      id,
      environmentId: spec.environmentId,
      deploymentId: spec.deploymentId,
      app: "bench",
      operation,
      role: "contributor",
      command: "echo generated",
      appDir: spec.appDir,
      queueKey: JSON.stringify([spec.environmentId, "bench", "", operation]),
      state: cancelled ? "cancelled" : "complete",
      result: failed ? "failure" : "success",
      exitCode: cancelled ? null : failed ? 1 : 0,
      reason: cancelled ? "cancelled by Ada Admin" : failed ? "exited with code 1" : null,
      source: ["console", "api", "cli"][Math.floor(random() * 3)] ?? "api",
      triggeredById: pickUser(),
      createdAt: date(created),
      startedAt: date(created + 40),
      finishedAt: date(created + 1000 + Math.floor(random() * 60_000)),
      logSeq: Math.ceil(lines / 200),
      logBytes: lines * 60,
      logLines: lines,
    } satisfies Record<(typeof COLUMNS)[number], unknown>;
  };
  const cols = COLUMNS.map((c) => `"${c}"`).join(", ");

  if (sqlite) {
    const Database = createRequire(path.join(target.sourceDir, "package.json"))(
      "better-sqlite3",
    ) as typeof import("better-sqlite3");
    const conn = new Database(target.url.replace(/^file:/, ""));
    try {
      conn.pragma("busy_timeout = 10000");
      const insert = conn.prepare(
        `INSERT INTO "Run" (${cols}) VALUES (${COLUMNS.map((c) => `@${c}`).join(", ")})`,
      );
      const batch = conn.transaction((from: number, to: number) => {
        for (let i = from; i < to; i++) insert.run(row(i));
      });
      for (let from = 0; from < spec.count; from += 50_000) batch(from, Math.min(spec.count, from + 50_000));
    } finally {
      conn.close();
    }
    return { ids };
  }

  const types: Record<(typeof COLUMNS)[number], string> = {
    id: "text",
    environmentId: "text",
    deploymentId: "text",
    app: "text",
    operation: "text",
    role: "text",
    command: "text",
    appDir: "text",
    queueKey: "text",
    state: "text",
    result: "text",
    exitCode: "int",
    reason: "text",
    source: "text",
    triggeredById: "text",
    createdAt: "timestamptz",
    startedAt: "timestamptz",
    finishedAt: "timestamptz",
    logSeq: "int",
    logBytes: "bigint",
    logLines: "int",
  };
  const select = COLUMNS.map((c) =>
    types[c] === "timestamptz" ? `x."${c}" AT TIME ZONE 'UTC'` : `x."${c}"`,
  ).join(", ");
  const shape = COLUMNS.map((c) => `"${c}" ${types[c]}`).join(", ");
  const indexes = await target.db.$queryRawUnsafe<Array<{ indexname: string; indexdef: string }>>(
    `SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() AND tablename = 'Run' ` +
      `AND indexname NOT LIKE '%_pkey'`,
  );
  for (const index of indexes) await target.db.$executeRawUnsafe(`DROP INDEX "${index.indexname}"`);
  // Foreign-key triggers off for the load (the test server's user is a superuser): the rows
  // reference the fixture's environment, deployment and users.
  await target.db.$executeRawUnsafe(`ALTER TABLE "Run" DISABLE TRIGGER ALL`);
  try {
    for (let from = 0; from < spec.count; from += 20_000) {
      const rows = [];
      for (let i = from; i < Math.min(spec.count, from + 20_000); i++) rows.push(row(i));
      await target.db.$executeRawUnsafe(
        `INSERT INTO "Run" (${cols}) SELECT ${select} FROM json_to_recordset($1::json) AS x(${shape})`,
        JSON.stringify(rows),
      );
    }
  } finally {
    await target.db.$executeRawUnsafe(`ALTER TABLE "Run" ENABLE TRIGGER ALL`);
    for (const index of indexes) await target.db.$executeRawUnsafe(index.indexdef);
  }
  // Steady state before measuring: what autovacuum would otherwise do during the measurement
  // (visibility map, planner statistics).
  await target.db.$executeRawUnsafe(`VACUUM (ANALYZE) "Run"`);
  return { ids };
}
