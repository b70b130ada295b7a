// Loads @prisma/schema-engine-wasm (Prisma's schema engine compiled to
// WebAssembly, a devDependency) and diffs two Prisma schemas into SQL without
// any database. Used by scripts/db/new-migration.mjs.
//
// The package's entry point imports the .wasm file as an ES module, which
// Node 20 cannot do without a flag, so the module is instantiated by hand with
// the package's own JS glue (the `./schema_engine_bg` export).
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

let bindingsPromise;

async function loadBindings() {
  let glue;
  try {
    glue = await import("@prisma/schema-engine-wasm/schema_engine_bg");
  } catch (error) {
    throw new Error(
      "Cannot load @prisma/schema-engine-wasm (a devDependency). Run `npm install` " +
        `(without --omit=dev). Cause: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  // createRequire rather than import.meta.resolve: also works under vitest.
  const gluePath = createRequire(import.meta.url).resolve("@prisma/schema-engine-wasm/schema_engine_bg");
  const wasmModule = new WebAssembly.Module(readFileSync(join(dirname(gluePath), "schema_engine_bg.wasm")));
  const instance = new WebAssembly.Instance(wasmModule, { "./schema_engine_bg.js": glue });
  glue.__wbg_set_wasm(instance.exports);
  instance.exports.__wbindgen_start();
  return glue;
}

/**
 * The schema engine's wasm-bindgen module (`SchemaEngine`, `version`), loaded
 * once per process.
 */
export function loadSchemaEngine() {
  bindingsPromise ??= loadBindings();
  return bindingsPromise;
}

/**
 * A stand-in driver adapter. Diffing two datamodels touches no database, but
 * the engine always opens its "connection" and, for PostgreSQL, asks for the
 * server version (to tell PostgreSQL from CockroachDB). Answer that one query
 * as PostgreSQL and refuse everything else loudly.
 */
function offlineAdapterFactory(provider) {
  const refuse = (what) => async () => {
    throw new Error(`offline schema diff: unexpected database access (${what})`);
  };
  const adapter = {
    provider,
    adapterName: "runops-offline-diff",
    async queryRaw(query) {
      if (provider === "postgres" && query.sql.includes("server_version_num")) {
        return {
          columnNames: ["exists", "version", "numeric_version"],
          columnTypes: [5 /* Boolean */, 7 /* Text */, 0 /* Int32 */],
          rows: [[true, "PostgreSQL 15.0 (runops offline diff)", 150000]],
        };
      }
      throw new Error(`offline schema diff: unexpected query: ${query.sql}`);
    },
    executeRaw: refuse("executeRaw"),
    executeScript: refuse("executeScript"),
    startTransaction: refuse("startTransaction"),
    dispose: async () => {},
  };
  return {
    provider,
    adapterName: "runops-offline-diff",
    connect: async () => adapter,
    connectToShadowDb: async () => adapter,
  };
}

/** Wraps a driver adapter factory the way the engine expects (Result values, error registry). */
export async function bindFactory(factory) {
  const { bindMigrationAwareSqlAdapterFactory } = await import("@prisma/driver-adapter-utils");
  return bindMigrationAwareSqlAdapterFactory(factory);
}

/**
 * SQL that takes a database from schema `from` (or from nothing, when `from`
 * is null) to schema `to`. Both are complete Prisma schema texts of the same
 * provider. Returns "" when there is nothing to do.
 */
export async function diffSchemas({ provider, from, to }) {
  const glue = await loadSchemaEngine();
  const adapterProvider = provider === "postgresql" ? "postgres" : provider;
  const logs = [];
  const engine = await glue.SchemaEngine.new(
    { datamodels: [["schema.prisma", to]] },
    (line) => logs.push(line),
    await bindFactory(offlineAdapterFactory(adapterProvider)),
  );
  try {
    // From an empty schema of the same provider rather than {tag: "empty"}:
    // for PostgreSQL "empty" also emits `CREATE SCHEMA IF NOT EXISTS "public"`,
    // which needs CREATE privilege on the database even when public exists.
    const emptySchema = `datasource db {\n  provider = "${provider}"\n}\n`;
    const result = await engine.diff({
      from: { tag: "schemaDatamodel", files: [{ path: "from.prisma", content: from ?? emptySchema }] },
      to: { tag: "schemaDatamodel", files: [{ path: "schema.prisma", content: to }] },
      script: true,
      exitCode: null,
      filters: { externalTables: [], externalEnums: [] },
    });
    const sql = result.stdout ?? "";
    return /^\s*(-- This is an empty migration\.)?\s*$/.test(sql) ? "" : sql;
  } catch (error) {
    const detail = logs.length > 0 ? `\n${logs.join("\n")}` : "";
    throw new Error(`schema engine diff failed (${provider}): ${describeEngineError(error)}${detail}`);
  } finally {
    engine.free();
  }
}

function describeEngineError(error) {
  if (error instanceof Error) return error.message;
  if (error && typeof error === "object") {
    const e = /** @type {Record<string, unknown>} */ (error);
    if (typeof e.message === "string") return e.message;
    return JSON.stringify(error);
  }
  return String(error);
}
