import Database from "better-sqlite3";
import pg from "pg";
import {
  type RateLimiterAbstract,
  RateLimiterMemory,
  RateLimiterPostgres,
  RateLimiterSQLite,
} from "rate-limiter-flexible";
import { databaseProvider, postgresTarget, sqliteFilePath } from "../db/url";

export type LimiterOptions = { keyPrefix: string; points: number; durationSec: number };

/** Where the throttles keep their counters: limiters made here share them across processes. */
export type LimiterStore = {
  limiter(options: LimiterOptions): RateLimiterAbstract;
  close(): Promise<void>;
};

/** Created by the migrations (model RateLimit), so the stores are told not to create it. */
const TABLE = "rate_limits";
/** Counters that expired over an hour ago are deleted this often. */
const PRUNE_EVERY_MS = 5 * 60_000;

/**
 * rate-limiter-flexible's store on runops' own database, so every console
 * replica sees the same counters: its SQLite store on a connection of its own
 * to the same file (better-sqlite3, WAL, like the log writer), or its
 * PostgreSQL store on a small pool. Expired counters are pruned here rather
 * than by the library's own timer, whose failures after close() would be
 * unhandled rejections.
 */
export function openLimiterStore(url: string): LimiterStore {
  if (databaseProvider(url) === "postgresql") return postgresStore(url);
  const file = sqliteFilePath(url);
  if (file === ":memory:") {
    // A second connection to :memory: would be another database: keep counters in this process.
    return {
      limiter: (o) =>
        new RateLimiterMemory({ keyPrefix: o.keyPrefix, points: o.points, duration: o.durationSec }),
      close: async () => {},
    };
  }
  const db = new Database(file, { timeout: 5000 });
  db.pragma("journal_mode = WAL");
  const prune = db.prepare(`DELETE FROM ${TABLE} WHERE expire < ?`);
  const timer = setInterval(() => {
    try {
      prune.run(Date.now() - 3600_000);
    } catch {
      // Best effort: a locked database now is pruned next time.
    }
  }, PRUNE_EVERY_MS).unref();
  return {
    limiter: (o) =>
      new RateLimiterSQLite({
        storeClient: db,
        storeType: "better-sqlite3",
        tableName: TABLE,
        tableCreated: true,
        clearExpiredByTimeout: false,
        keyPrefix: o.keyPrefix,
        points: o.points,
        duration: o.durationSec,
      }),
    close: async () => {
      clearInterval(timer);
      db.close();
    },
  };
}

function postgresStore(url: string): LimiterStore {
  const { connectionString, schema } = postgresTarget(url);
  const pool = new pg.Pool({ connectionString, max: 4 });
  // An idle connection that dies (server restart) must not crash the console: the next query reconnects.
  pool.on("error", () => {});
  const table = schema ? `"${schema}"."${TABLE}"` : `"${TABLE}"`;
  const timer = setInterval(() => {
    pool.query(`DELETE FROM ${table} WHERE expire < $1`, [Date.now() - 3600_000]).catch(() => {});
  }, PRUNE_EVERY_MS).unref();
  return {
    limiter: (o) =>
      new RateLimiterPostgres({
        storeClient: pool,
        storeType: "pool",
        tableName: TABLE,
        schemaName: schema,
        tableCreated: true,
        clearExpiredByTimeout: false,
        keyPrefix: o.keyPrefix,
        points: o.points,
        duration: o.durationSec,
      }),
    close: async () => {
      clearInterval(timer);
      await pool.end();
    },
  };
}
