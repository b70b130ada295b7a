// Applies the committed migrations (plain SQL) of the database DATABASE_URL
// names, without Prisma's schema engine (it cannot be downloaded here; see
// docs/decisions/0002-prisma-offline.md).
//
// Compatible with the stock Prisma CLI: same folders
// (prisma/migrations/<name>/migration.sql for SQLite,
// prisma/postgres/migrations/<name>/migration.sql for PostgreSQL), same
// `_prisma_migrations` table and checksums, same advisory lock key on
// PostgreSQL. So `prisma migrate status|deploy` on a machine with the engine
// sees what this migrator applied, and the other way round.
//
// Each migration runs in its own transaction with its `_prisma_migrations` row,
// so a failed migration leaves the database as it was and nothing recorded.
import { createHash, randomUUID } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import pg from "pg";
import { serverEnv } from "../env.ts";
import { type DatabaseProvider, databaseProvider, postgresTarget, redactUrl, sqliteFilePath } from "./url.ts";

export interface MigrationFile {
  /** Folder name, e.g. 20250101000000_init; migrations apply in name order. */
  name: string;
  /** SHA-256 of migration.sql, hex: what Prisma stores in `_prisma_migrations.checksum`. */
  checksum: string;
  script: string;
}

export interface MigrateOptions {
  /** Folder holding `<name>/migration.sql`; defaults to the provider's folder under the project root. */
  migrationsDir?: string;
  /** Receives one line per step (e.g. console.log); silent by default. */
  log?: (line: string) => void;
}

/** A refusal or failure the operator must act on; the message says what to do. */
export class MigrationError extends Error {
  override name = "MigrationError";
}

/** Prisma's own advisory lock key: this migrator and `prisma migrate` exclude each other. */
const PG_ADVISORY_LOCK_KEY = 72707369;
/** How long a SQLite migrator waits for another process's write transaction. */
const SQLITE_LOCK_TIMEOUT_MS = 60_000;

// Table layouts exactly as Prisma's schema engine creates them.
const SQLITE_MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    TEXT PRIMARY KEY NOT NULL,
    "checksum"              TEXT NOT NULL,
    "finished_at"           DATETIME,
    "migration_name"        TEXT NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        DATETIME,
    "started_at"            DATETIME NOT NULL DEFAULT current_timestamp,
    "applied_steps_count"   INTEGER UNSIGNED NOT NULL DEFAULT 0
)`;

const POSTGRES_MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

const SELECT_APPLIED = `SELECT "migration_name", "checksum", "finished_at", "rolled_back_at"
FROM "_prisma_migrations" ORDER BY "started_at", "migration_name"`;

interface MigrationRow {
  migration_name: string;
  checksum: string;
  finished_at: unknown;
  rolled_back_at: unknown;
}

/**
 * The project root: $RUNOPS_ROOT when set, else the nearest directory holding
 * prisma/schema.prisma above process.cwd(), else above this file.
 */
export function projectRoot(): string {
  const fromEnv = serverEnv().RUNOPS_ROOT;
  if (fromEnv) {
    const root = path.resolve(fromEnv);
    if (!existsSync(path.join(root, "prisma/schema.prisma"))) {
      throw new MigrationError(`RUNOPS_ROOT=${fromEnv} has no prisma/schema.prisma.`);
    }
    return root;
  }
  const starts = [process.cwd()];
  if (import.meta.url.startsWith("file:")) starts.push(path.dirname(fileURLToPath(import.meta.url)));
  for (const start of starts) {
    for (let dir = path.resolve(start); ; dir = path.dirname(dir)) {
      if (existsSync(path.join(dir, "prisma/schema.prisma"))) return dir;
      if (path.dirname(dir) === dir) break;
    }
  }
  throw new MigrationError(
    `Cannot find the runops project (prisma/schema.prisma) above ${process.cwd()}; set RUNOPS_ROOT.`,
  );
}

/** The committed migrations folder of a provider. */
export function migrationsDirectory(provider: DatabaseProvider, root: string = projectRoot()): string {
  return provider === "postgresql"
    ? path.join(root, "prisma/postgres/migrations")
    : path.join(root, "prisma/migrations");
}

function sha256(data: string | Buffer): string {
  return createHash("sha256").update(data).digest("hex");
}

/** Prisma accepts a checksum computed with either line-ending style (git may convert them). */
function checksumMatches(script: string, stored: string): boolean {
  const lf = script.replace(/\r\n/g, "\n");
  const candidates = [script, lf, lf.replace(/\n/g, "\r\n")];
  return candidates.some((text) => sha256(text) === stored.toLowerCase());
}

/** The migrations in a folder, in application order. */
export function readMigrations(dir: string, provider?: DatabaseProvider): MigrationFile[] {
  if (!existsSync(dir)) throw new MigrationError(`No migrations folder at ${dir}.`);
  const lockFile = path.join(dir, "migration_lock.toml");
  if (provider && existsSync(lockFile)) {
    const locked = /^\s*provider\s*=\s*"([^"]*)"/m.exec(readFileSync(lockFile, "utf8"))?.[1];
    if (locked && locked !== provider) {
      throw new MigrationError(
        `${dir} holds ${locked} migrations, not ${provider} ones (migration_lock.toml).`,
      );
    }
  }
  const files = readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(path.join(dir, entry.name, "migration.sql")))
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const bytes = readFileSync(path.join(dir, name, "migration.sql"));
      return { name, checksum: sha256(bytes), script: bytes.toString("utf8") };
    });
  if (files.length === 0) throw new MigrationError(`No migrations (<name>/migration.sql) in ${dir}.`);
  return files;
}

/** The migrations still to apply; refuses when the recorded history and the files disagree. */
function pendingMigrations(files: MigrationFile[], rows: MigrationRow[], where: string): MigrationFile[] {
  const live = rows.filter((row) => row.rolled_back_at === null);
  const failed = live.filter((row) => row.finished_at === null);
  if (failed.length > 0) {
    const names = failed.map((row) => row.migration_name).join(", ");
    throw new MigrationError(
      `${where}: migration ${names} started but never finished (a failed or interrupted \`prisma migrate\`). ` +
        "Repair the database by hand, then mark it with `prisma migrate resolve --applied|--rolled-back " +
        "<name>` or set its rolled_back_at in _prisma_migrations.",
    );
  }
  const applied = new Map(live.map((row) => [row.migration_name, row]));
  const known = new Set(files.map((file) => file.name));
  const unknown = live.filter((row) => !known.has(row.migration_name));
  if (unknown.length > 0) {
    throw new MigrationError(
      `${where}: the database has migration(s) ${unknown.map((r) => r.migration_name).join(", ")} applied, ` +
        "which are not in this build's migrations folder: the database is newer than this code. " +
        "Run the matching (newer) runops version.",
    );
  }
  const edited = files.filter((file) => {
    const row = applied.get(file.name);
    return row !== undefined && !checksumMatches(file.script, row.checksum);
  });
  if (edited.length > 0) {
    throw new MigrationError(
      `${where}: migration ${edited.map((f) => f.name).join(", ")} was modified after it was applied ` +
        "(its checksum differs from the one recorded in _prisma_migrations). Applied migrations are " +
        "immutable: restore the original file (e.g. `git checkout` it) and put the change in a new " +
        "migration (`npm run db:new-migration -- <name>`).",
    );
  }
  return files.filter((file) => !applied.has(file.name));
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** ISO 8601 with an explicit offset, as Prisma's SQLite adapter writes DateTime values. */
function sqliteNow(): string {
  return new Date().toISOString().replace("Z", "+00:00");
}

async function migrateSqlite(
  url: string,
  files: MigrationFile[],
  log: (line: string) => void,
): Promise<string[]> {
  const file = sqliteFilePath(url);
  if (file === ":memory:") throw new MigrationError("Cannot migrate an in-memory SQLite database by URL.");
  mkdirSync(path.dirname(file), { recursive: true });
  const db = new Database(file, { timeout: SQLITE_LOCK_TIMEOUT_MS });
  const applied: string[] = [];
  try {
    try {
      db.pragma("journal_mode = WAL");
    } catch (error) {
      // Switching needs a moment without readers; the mode persists in the
      // file, so the next connection (lib/db/client.ts) will switch it.
      log(`Could not switch ${file} to WAL journal mode yet: ${errorMessage(error)}`);
    }
    // Prisma's SQLite migrations rebuild tables (CREATE new_X, copy, DROP X,
    // rename) between `PRAGMA foreign_keys=OFF/ON`, which are no-ops inside a
    // transaction: with foreign keys on, DROP TABLE would cascade-delete child
    // rows. So they are off on this connection and checked before each commit
    // (the procedure https://sqlite.org/lang_altertable.html recommends).
    db.pragma("foreign_keys = OFF");
    db.exec("BEGIN IMMEDIATE");
    db.exec(SQLITE_MIGRATIONS_TABLE);
    db.exec("COMMIT");

    const selectApplied = db.prepare<[], MigrationRow>(SELECT_APPLIED);
    const insertRow = db.prepare<[string, string, string, string, string]>(
      `INSERT INTO "_prisma_migrations"
         ("id", "checksum", "finished_at", "migration_name", "logs", "rolled_back_at", "started_at", "applied_steps_count")
       VALUES (?, ?, ?, ?, NULL, NULL, ?, 1)`,
    );
    // One write transaction per migration; BEGIN IMMEDIATE takes the write
    // lock first, so the plan is re-read under the lock and concurrent
    // migrators apply each migration once.
    for (;;) {
      db.exec("BEGIN IMMEDIATE");
      let next: MigrationFile | undefined;
      try {
        next = pendingMigrations(files, selectApplied.all(), file)[0];
        if (next) {
          const startedAt = sqliteNow();
          log(`Applying migration ${next.name}`);
          try {
            db.exec(next.script);
          } catch (error) {
            throw new MigrationError(`Migration ${next.name} failed on ${file}: ${errorMessage(error)}`, {
              cause: error,
            });
          }
          const violations = db.pragma("foreign_key_check") as unknown[];
          if (violations.length > 0) {
            throw new MigrationError(
              `Migration ${next.name} would leave ${violations.length} foreign key violation(s) in ${file}: ` +
                JSON.stringify(violations.slice(0, 5)),
            );
          }
          insertRow.run(randomUUID(), next.checksum, sqliteNow(), next.name, startedAt);
        }
        db.exec("COMMIT");
      } catch (error) {
        if (db.inTransaction) db.exec("ROLLBACK");
        throw error;
      }
      if (!next) break;
      applied.push(next.name);
    }
  } catch (error) {
    if (error instanceof MigrationError) throw error;
    throw new MigrationError(`Migrating ${file} failed: ${errorMessage(error)}`, { cause: error });
  } finally {
    db.close();
  }
  return applied;
}

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

async function migratePostgres(
  url: string,
  files: MigrationFile[],
  log: (line: string) => void,
): Promise<string[]> {
  const { connectionString, schema } = postgresTarget(url);
  const where = redactUrl(url);
  const client = new pg.Client({ connectionString });
  try {
    await client.connect();
  } catch (error) {
    throw new MigrationError(`Cannot connect to ${where}: ${errorMessage(error)}`, { cause: error });
  }
  const applied: string[] = [];
  try {
    // Session-level lock, held until every migration is applied: concurrent
    // migrators (several replicas starting, or `prisma migrate`) take turns.
    const free = await client.query<{ locked: boolean }>("SELECT pg_try_advisory_lock($1) AS locked", [
      PG_ADVISORY_LOCK_KEY,
    ]);
    if (!free.rows[0]?.locked) {
      log("Waiting for another migrator to finish…");
      await client.query("SELECT pg_advisory_lock($1)", [PG_ADVISORY_LOCK_KEY]);
    }
    try {
      if (schema) {
        const exists = await client.query("SELECT 1 FROM pg_namespace WHERE nspname = $1", [schema]);
        if (exists.rowCount === 0) await client.query(`CREATE SCHEMA ${quoteIdent(schema)}`);
        await client.query(`SET search_path TO ${quoteIdent(schema)}`);
      }
      await client.query(POSTGRES_MIGRATIONS_TABLE);
      const rows = (await client.query<MigrationRow>(SELECT_APPLIED)).rows;
      for (const migration of pendingMigrations(files, rows, where)) {
        log(`Applying migration ${migration.name}`);
        await client.query("BEGIN");
        try {
          const id = randomUUID();
          await client.query(
            `INSERT INTO "_prisma_migrations" ("id", "checksum", "migration_name", "started_at", "applied_steps_count")
             VALUES ($1, $2, $3, clock_timestamp(), 0)`,
            [id, migration.checksum, migration.name],
          );
          try {
            // No parameters: the simple-query protocol runs the whole script.
            await client.query(migration.script);
          } catch (error) {
            throw new MigrationError(
              `Migration ${migration.name} failed on ${where}: ${errorMessage(error)}`,
              {
                cause: error,
              },
            );
          }
          await client.query(
            `UPDATE "_prisma_migrations" SET "finished_at" = clock_timestamp(), "applied_steps_count" = 1
             WHERE "id" = $1`,
            [id],
          );
          await client.query("COMMIT");
        } catch (error) {
          await client.query("ROLLBACK").catch(() => undefined);
          throw error;
        }
        applied.push(migration.name);
      }
    } finally {
      await client.query("SELECT pg_advisory_unlock($1)", [PG_ADVISORY_LOCK_KEY]).catch(() => undefined);
    }
  } catch (error) {
    if (error instanceof MigrationError) throw error;
    throw new MigrationError(`Migrating ${where} failed: ${errorMessage(error)}`, { cause: error });
  } finally {
    await client.end().catch(() => undefined);
  }
  return applied;
}

/**
 * Applies the not yet applied migrations of the database `url` names (SQLite
 * file: URL or path, or postgres(ql):// URL), in name order, and returns their
 * names. Idempotent, and safe to call from several processes at once.
 * Throws MigrationError when a migration fails (it is rolled back) or when the
 * recorded history does not match the files (edited, unknown or unfinished
 * migrations).
 */
export async function migrate(url: string, options: MigrateOptions = {}): Promise<{ applied: string[] }> {
  const provider = databaseProvider(url);
  const log = options.log ?? (() => undefined);
  const files = readMigrations(options.migrationsDir ?? migrationsDirectory(provider), provider);
  const applied =
    provider === "postgresql" ? await migratePostgres(url, files, log) : await migrateSqlite(url, files, log);
  log(
    applied.length > 0
      ? `Applied ${applied.length} migration(s).`
      : `Database is up to date (${files.length} migration(s)).`,
  );
  return { applied };
}
