import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import pg from "pg";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createDb } from "../../../lib/db/client.ts";
import { MigrationError, migrate, migrationsDirectory, readMigrations } from "../../../lib/db/migrate.ts";
import { type DatabaseProvider, postgresTarget, sqliteFilePath } from "../../../lib/db/url.ts";
import { copyOfMigrations, createRunFixture, postgresForTests, removeTempDirs, tempDir } from "./helpers.ts";

interface MigrationRecord {
  id: string;
  checksum: string;
  migration_name: string;
  finished_at: unknown;
  rolled_back_at: unknown;
  logs: unknown;
  applied_steps_count: number | bigint;
}

/** Runs one SQL statement on the database `url` names, outside Prisma. */
async function sql<T>(url: string, text: string): Promise<T[]> {
  if (url.startsWith("postgres")) {
    const { connectionString, schema } = postgresTarget(url);
    const client = new pg.Client({ connectionString });
    await client.connect();
    try {
      if (schema) await client.query(`SET search_path TO "${schema}"`);
      return (await client.query(text)).rows as T[];
    } finally {
      await client.end();
    }
  }
  const db = new Database(sqliteFilePath(url));
  try {
    const statement = db.prepare<[], T>(text);
    if (statement.reader) return statement.all();
    statement.run();
    return [];
  } finally {
    db.close();
  }
}

async function tableNames(url: string): Promise<string[]> {
  const rows = url.startsWith("postgres")
    ? await sql<{ name: string }>(
        url,
        "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema()",
      )
    : await sql<{ name: string }>(url, "SELECT name FROM sqlite_master WHERE type = 'table'");
  return rows.map((row) => row.name).sort();
}

function records(url: string): Promise<MigrationRecord[]> {
  return sql<MigrationRecord>(url, 'SELECT * FROM "_prisma_migrations" ORDER BY "migration_name"');
}

function addMigration(dir: string, name: string, script: string): void {
  mkdirSync(path.join(dir, name), { recursive: true });
  writeFileSync(path.join(dir, name, "migration.sql"), script);
}

const committedNames = (provider: DatabaseProvider) =>
  readMigrations(migrationsDirectory(provider)).map((m) => m.name);

let postgres: Awaited<ReturnType<typeof postgresForTests>> | undefined;

beforeAll(async () => {
  postgres = await postgresForTests();
}, 120_000);

afterAll(async () => {
  await postgres?.stop();
}, 30_000);

afterEach(() => removeTempDirs());

async function freshUrl(provider: DatabaseProvider, name: string): Promise<string> {
  if (provider === "sqlite") return `file:${path.join(tempDir(), "nested", `${name}.db`)}`;
  if (!postgres) throw new Error("PostgreSQL test server not started");
  return postgres.newDatabase(name);
}

describe.each(["sqlite", "postgresql"] as const)("migrate() on %s", (provider) => {
  it("applies every committed migration to a fresh database, then nothing", async () => {
    const url = await freshUrl(provider, "fresh");
    const expected = committedNames(provider);

    expect(await migrate(url)).toEqual({ applied: expected });
    expect(await tableNames(url)).toEqual(
      expect.arrayContaining(["_prisma_migrations", "User", "Project", "Run", "LogChunk"]),
    );

    const rows = await records(url);
    expect(rows.map((r) => r.migration_name)).toEqual(expected);
    for (const row of rows) {
      const file = readFileSync(
        path.join(migrationsDirectory(provider), row.migration_name, "migration.sql"),
      );
      expect(row.checksum).toBe(createHash("sha256").update(file).digest("hex"));
      expect(row.id).toMatch(/^[0-9a-f-]{36}$/);
      expect(row.finished_at).not.toBeNull();
      expect(row.rolled_back_at).toBeNull();
      expect(row.logs).toBeNull();
      expect(Number(row.applied_steps_count)).toBe(1);
    }

    expect(await migrate(url)).toEqual({ applied: [] });
    expect(await records(url)).toHaveLength(expected.length);

    const db = createDb(url);
    try {
      await createRunFixture(db, "fresh");
      expect(await db.run.count()).toBe(1);
    } finally {
      await db.$disconnect();
    }
  }, 30_000);

  it("applies migrations added later, in name order", async () => {
    const dir = copyOfMigrations(provider);
    const url = await freshUrl(provider, "later");
    await migrate(url, { migrationsDir: dir });
    addMigration(dir, "29990102000000_b", 'CREATE TABLE "extra_b" ("id" INTEGER NOT NULL);\n');
    addMigration(dir, "29990101000000_a", 'CREATE TABLE "extra_a" ("id" INTEGER NOT NULL);\n');
    expect(await migrate(url, { migrationsDir: dir })).toEqual({
      applied: ["29990101000000_a", "29990102000000_b"],
    });
    expect(await tableNames(url)).toEqual(expect.arrayContaining(["extra_a", "extra_b"]));
  }, 30_000);

  it("refuses a migration whose file changed after it was applied", async () => {
    const dir = copyOfMigrations(provider);
    const url = await freshUrl(provider, "edited");
    await migrate(url, { migrationsDir: dir });
    const first = readMigrations(dir)[0];
    if (!first) throw new Error("no migrations");
    const file = path.join(dir, first.name, "migration.sql");

    // Line endings converted by git are not a change (as for Prisma).
    writeFileSync(file, first.script.replace(/\n/g, "\r\n"));
    expect(await migrate(url, { migrationsDir: dir })).toEqual({ applied: [] });

    writeFileSync(file, first.script);
    appendFileSync(file, "\n-- an edit\n");
    const attempt = migrate(url, { migrationsDir: dir });
    await expect(attempt).rejects.toBeInstanceOf(MigrationError);
    await expect(attempt).rejects.toThrow(/modified after it was applied/);
  }, 30_000);

  it("refuses a database that has migrations this build does not know", async () => {
    const dir = copyOfMigrations(provider);
    const url = await freshUrl(provider, "newer");
    addMigration(dir, "29990101000000_future", 'CREATE TABLE "future" ("id" INTEGER NOT NULL);\n');
    await migrate(url, { migrationsDir: dir });
    await expect(migrate(url)).rejects.toThrow(/29990101000000_future.*not in this build/s);
  }, 30_000);

  it("refuses a migration another tool started and never finished", async () => {
    const url = await freshUrl(provider, "unfinished");
    await migrate(url);
    await sql(
      url,
      `INSERT INTO "_prisma_migrations" ("id", "checksum", "migration_name", "started_at", "applied_steps_count")
       VALUES ('00000000-0000-4000-8000-000000000000', 'x', '29990101000000_broken', CURRENT_TIMESTAMP, 0)`,
    );
    await expect(migrate(url)).rejects.toThrow(/29990101000000_broken started but never finished/);
  }, 30_000);

  it("rolls a failing migration back entirely and records nothing", async () => {
    const dir = copyOfMigrations(provider);
    const url = await freshUrl(provider, "failing");
    await migrate(url, { migrationsDir: dir });
    const name = "29990101000000_failing";
    addMigration(dir, name, 'CREATE TABLE "half" ("id" INTEGER NOT NULL);\nSELECT * FROM "no_such_table";\n');

    await expect(migrate(url, { migrationsDir: dir })).rejects.toThrow(
      new RegExp(`Migration ${name} failed.*no_such_table`, "s"),
    );
    expect(await tableNames(url)).not.toContain("half");
    expect((await records(url)).map((r) => r.migration_name)).not.toContain(name);

    writeFileSync(path.join(dir, name, "migration.sql"), 'CREATE TABLE "half" ("id" INTEGER NOT NULL);\n');
    expect(await migrate(url, { migrationsDir: dir })).toEqual({ applied: [name] });
  }, 30_000);
});

describe("migrate() on sqlite", () => {
  it("keeps child rows when a migration rebuilds a parent table", async () => {
    // Prisma's SQLite migrations change a column by rebuilding the table; with
    // foreign keys on, `DROP TABLE "User"` would delete every Membership
    // (ON DELETE CASCADE) and fail on Run (RESTRICT).
    const dir = copyOfMigrations("sqlite");
    const url = await freshUrl("sqlite", "rebuild");
    await migrate(url, { migrationsDir: dir });
    const db = createDb(url);
    try {
      await createRunFixture(db, "rebuild");
    } finally {
      await db.$disconnect();
    }
    addMigration(
      dir,
      "29990101000000_user_disabled",
      `-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_User" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "email" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "passwordHash" TEXT NOT NULL,
    "disabled" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);
INSERT INTO "new_User" ("createdAt", "email", "id", "name", "passwordHash") SELECT "createdAt", "email", "id", "name", "passwordHash" FROM "User";
DROP TABLE "User";
ALTER TABLE "new_User" RENAME TO "User";
CREATE UNIQUE INDEX "User_email_key" ON "User"("email");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
`,
    );
    expect(await migrate(url, { migrationsDir: dir })).toEqual({ applied: ["29990101000000_user_disabled"] });
    expect(await sql(url, 'SELECT "id" FROM "Membership"')).toHaveLength(1);
    expect(await sql(url, 'SELECT "id" FROM "Run"')).toHaveLength(1);
    expect(await sql(url, 'SELECT "disabled" FROM "User"')).toEqual([{ disabled: 0 }]);
  }, 30_000);

  it("refuses a migration that leaves dangling foreign keys", async () => {
    const dir = copyOfMigrations("sqlite");
    const url = await freshUrl("sqlite", "dangling");
    await migrate(url, { migrationsDir: dir });
    addMigration(
      dir,
      "29990101000000_dangling",
      `INSERT INTO "Membership" ("id", "projectId", "userId", "projectRole") VALUES ('m', 'nope', 'nope', 'admin');\n`,
    );
    await expect(migrate(url, { migrationsDir: dir })).rejects.toThrow(/foreign key violation/);
    expect(await sql(url, 'SELECT "id" FROM "Membership"')).toEqual([]);
  }, 30_000);

  it("lets several processes migrate the same new file at once", async () => {
    const url = await freshUrl("sqlite", "concurrent");
    const script = path.join(tempDir(), "run-migrate.mts");
    const migrateModule = fileURLToPath(new URL("../../../lib/db/migrate.ts", import.meta.url));
    writeFileSync(
      script,
      `import { migrate } from ${JSON.stringify(migrateModule)};\n` +
        "console.log(JSON.stringify(await migrate(process.argv[2])));\n",
    );
    const tsx = path.join(
      path.dirname(createRequire(import.meta.url).resolve("tsx/package.json")),
      "dist/cli.mjs",
    );
    const runOne = () =>
      new Promise<string[]>((resolve, reject) => {
        const child = spawn(process.execPath, [tsx, script, url], { stdio: ["ignore", "pipe", "pipe"] });
        let out = "";
        let err = "";
        child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
        child.stderr.on("data", (chunk: Buffer) => (err += chunk.toString()));
        child.on("error", reject);
        child.on("close", (code) => {
          if (code !== 0) reject(new Error(`migrate process exited ${code}: ${err}`));
          else resolve((JSON.parse(out.trim().split("\n").at(-1) ?? "{}") as { applied: string[] }).applied);
        });
      });
    const results = await Promise.all([runOne(), runOne(), runOne(), runOne()]);
    expect(results.flat().sort()).toEqual(committedNames("sqlite"));
    expect(await records(url)).toHaveLength(committedNames("sqlite").length);
  }, 60_000);
});

describe("migrate() on postgresql", () => {
  it("lets concurrent callers migrate the same database once", async () => {
    const url = await freshUrl("postgresql", "concurrent");
    const results = await Promise.all(Array.from({ length: 6 }, () => migrate(url)));
    expect(results.flatMap((r) => r.applied).sort()).toEqual(committedNames("postgresql"));
    expect(results.filter((r) => r.applied.length > 0)).toHaveLength(1);
    expect(await records(url)).toHaveLength(committedNames("postgresql").length);
  }, 30_000);

  it("honours Prisma's ?schema= parameter", async () => {
    const url = `${await freshUrl("postgresql", "schema")}?schema=tenant_a`;
    expect((await migrate(url)).applied).toEqual(committedNames("postgresql"));
    expect(await tableNames(url)).toEqual(expect.arrayContaining(["_prisma_migrations", "User"]));
    const db = createDb(url);
    try {
      await createRunFixture(db, "schema");
      const [row] = await sql<{ n: string }>(url, 'SELECT count(*) AS n FROM "tenant_a"."Run"');
      expect(row?.n).toBe("1");
    } finally {
      await db.$disconnect();
    }
  }, 30_000);
});
