// lib/db/migrate.ts must stay interchangeable with Prisma's own migrator:
// checked here against Prisma's schema engine (its wasm build, driven through
// the same driver adapters the stock CLI would use with a native engine).
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import type { MigrationList, SchemaEngine } from "@prisma/schema-engine-wasm";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { migrate, migrationsDirectory, projectRoot } from "../../../lib/db/migrate.ts";
import { type DatabaseProvider, sqliteFilePath } from "../../../lib/db/url.ts";
import {
  type MigrationAwareAdapterFactory,
  bindFactory,
  loadSchemaEngine,
} from "../../../scripts/db/schema-engine.mjs";
import { postgresForTests, removeTempDirs, tempDir } from "./helpers.ts";

function migrationList(provider: DatabaseProvider): MigrationList {
  const baseDir = migrationsDirectory(provider);
  return {
    baseDir,
    lockfile: {
      path: "migration_lock.toml",
      content: readFileSync(path.join(baseDir, "migration_lock.toml"), "utf8"),
    },
    shadowDbInitScript: "",
    migrationDirectories: readdirSync(baseDir, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name)
      .sort()
      .map((name) => ({
        path: name,
        migrationFile: {
          path: "migration.sql",
          content: { tag: "ok", value: readFileSync(path.join(baseDir, name, "migration.sql"), "utf8") },
        },
      })),
  };
}

/**
 * @prisma/adapter-pg 7.10 refuses result columns of PostgreSQL's internal
 * `"char"` (OID 18) and `name` (OID 19) types, which the engine's schema
 * describer selects from the catalogs; pg already returns them as strings, so
 * report them as text. (Only needed to introspect, i.e. for the drift check.)
 */
function readSystemTypesAsText(adapter: object): void {
  const target = adapter as { performIO?: (query: unknown) => Promise<{ fields: { dataTypeID: number }[] }> };
  const performIO = target.performIO?.bind(adapter);
  if (!performIO) throw new Error("@prisma/adapter-pg internals changed: no performIO to wrap");
  target.performIO = async (query) => {
    const result = await performIO(query);
    for (const field of result.fields) {
      if (field.dataTypeID === 18 || field.dataTypeID === 19) field.dataTypeID = 25; // text
    }
    return result;
  };
}

/** Runs `body` with Prisma's schema engine connected to `url`, then closes every connection it opened. */
async function withPrismaEngine<T>(
  provider: DatabaseProvider,
  url: string,
  body: (engine: SchemaEngine) => Promise<T>,
): Promise<T> {
  const { SchemaEngine } = await loadSchemaEngine();
  const inner =
    provider === "sqlite"
      ? new PrismaBetterSqlite3({ url: sqliteFilePath(url) })
      : new PrismaPg({ connectionString: url });
  const opened: { dispose(): Promise<void> }[] = [];
  const track = <A extends { dispose(): Promise<void> }>(adapter: A): A => {
    opened.push(adapter);
    if (provider === "postgresql") readSystemTypesAsText(adapter);
    return adapter;
  };
  const factory: MigrationAwareAdapterFactory = {
    provider: inner.provider,
    adapterName: inner.adapterName,
    connect: async () => track(await inner.connect()),
    connectToShadowDb: async () => track(await inner.connectToShadowDb()),
  };
  const schemaFile = provider === "sqlite" ? "prisma/schema.prisma" : "prisma/postgres/schema.prisma";
  const schema = readFileSync(path.join(projectRoot(), schemaFile), "utf8");
  const engine = await SchemaEngine.new(
    { datamodels: [[schemaFile, schema]] },
    () => undefined,
    await bindFactory(factory),
  );
  try {
    return await body(engine);
  } finally {
    engine.free();
    // The engine keeps SQLite in locking_mode=EXCLUSIVE and holds Prisma's
    // PostgreSQL advisory lock until its connections close.
    await Promise.all(opened.map((adapter) => adapter.dispose()));
  }
}

const filters = { externalTables: [], externalEnums: [] };

let postgres: Awaited<ReturnType<typeof postgresForTests>> | undefined;

beforeAll(async () => {
  postgres = await postgresForTests();
}, 120_000);

afterAll(async () => {
  await postgres?.stop();
}, 30_000);

afterEach(() => removeTempDirs());

async function freshUrl(provider: DatabaseProvider, name: string): Promise<string> {
  if (provider === "sqlite") return `file:${path.join(tempDir(), `${name}.db`)}`;
  if (!postgres) throw new Error("PostgreSQL test server not started");
  return postgres.newDatabase(name);
}

describe.each(["sqlite", "postgresql"] as const)("compatibility with Prisma's migrator on %s", (provider) => {
  it("Prisma sees the history this migrator wrote as complete and unedited", async () => {
    const url = await freshUrl(provider, "ours_first");
    await migrate(url);
    const migrationsList = migrationList(provider);
    const [diagnosis, applied] = await withPrismaEngine(provider, url, async (engine) => [
      await engine.diagnoseMigrationHistory({ migrationsList, optInToShadowDatabase: false, filters }),
      await engine.applyMigrations({ migrationsList, filters }),
    ]);
    expect(diagnosis).toEqual({
      editedMigrationNames: [],
      failedMigrationNames: [],
      hasMigrationsTable: true,
      history: null,
    });
    expect(applied.appliedMigrationNames).toEqual([]);
  });

  it("this migrator accepts the history Prisma wrote", async () => {
    const url = await freshUrl(provider, "prisma_first");
    const migrationsList = migrationList(provider);
    const applied = await withPrismaEngine(provider, url, (engine) =>
      engine.applyMigrations({ migrationsList, filters }),
    );
    expect(applied.appliedMigrationNames).toEqual(migrationsList.migrationDirectories.map((d) => d.path));
    expect(await migrate(url)).toEqual({ applied: [] });
  });

  it("the committed SQL creates exactly what the schema describes", async () => {
    const url = await freshUrl(provider, "drift");
    await migrate(url);
    const schemaFile = provider === "sqlite" ? "prisma/schema.prisma" : "prisma/postgres/schema.prisma";
    const schema = readFileSync(path.join(projectRoot(), schemaFile), "utf8");
    const drift = await withPrismaEngine(provider, url, (engine) =>
      engine.diff({
        // The database the engine is connected to (through the adapter).
        from: {
          tag: "schemaDatasource",
          files: [{ path: schemaFile, content: schema }],
          configDir: projectRoot(),
        },
        to: { tag: "schemaDatamodel", files: [{ path: schemaFile, content: schema }] },
        script: true,
        exitCode: true,
        filters,
      }),
    );
    expect(drift.stdout ?? "").toMatch(/^\s*(-- This is an empty migration\.)?\s*$/);
  });
});
