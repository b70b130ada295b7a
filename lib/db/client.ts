// The database client: Prisma 7's generated client over a driver adapter, for
// SQLite (default) or PostgreSQL, chosen by the URL. No native engine.
//
// prisma/schema.prisma (SQLite) and the derived prisma/postgres/schema.prisma
// hold the same models, so the two generated clients have the same model API;
// the rest of runops only sees `Db`, the SQLite client's type.
import { mkdirSync } from "node:fs";
import path from "node:path";
import { PrismaPg } from "@prisma/adapter-pg";
import type { SqlDriverAdapter, SqlDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import { PrismaClient as PostgresPrismaClient } from "./generated/postgres/client.ts";
import { PrismaClient } from "./generated/sqlite/client.ts";
import { SqliteAdapterFactory } from "./sqlite-adapter.ts";
import { configuredDatabaseUrl } from "../env.ts";
import { databaseProvider, postgresTarget, sqliteFilePath } from "./url.ts";

export { databaseProvider, type DatabaseProvider } from "./url.ts";

export type Db = PrismaClient;

/**
 * A new client for `url`: `postgres://` or `postgresql://` (optionally with
 * Prisma's `?schema=`) uses PostgreSQL; `file:path` or a plain path uses
 * SQLite, relative paths resolving against process.cwd() (the parent folder is
 * created). It connects lazily; call `$disconnect()` when done.
 */
export function createDb(url: string, options?: DbOptions): Db {
  const db = openDb(url, options?.observe ?? ((adapter) => adapter));
  urls.set(db, url);
  return db;
}

export type DbOptions = {
  /** Wraps each connection Prisma opens (bench/sql-count.ts counts statements with it). */
  observe?: (adapter: SqlDriverAdapter) => SqlDriverAdapter;
};

/** The factory, with each connection it makes passed through `observe`. */
function observed(factory: SqlDriverAdapterFactory, observe: (a: SqlDriverAdapter) => SqlDriverAdapter) {
  return {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: async () => observe(await factory.connect()),
  } satisfies SqlDriverAdapterFactory;
}

/**
 * The URL each client was made for: what lives beside the database (log files)
 * is found from it. On globalThis, as the client is: Next.js may evaluate this
 * module once per bundle, and a client made in one is used in others.
 */
const urlsKey = Symbol.for("runops.databaseUrls");
const urls = ((globalThis as typeof globalThis & { [urlsKey]?: WeakMap<Db, string> })[urlsKey] ??=
  new WeakMap<Db, string>());

export function databaseUrl(db: Db): string {
  const url = urls.get(db);
  if (url === undefined) throw new Error("not a client made by createDb");
  return url;
}

function openDb(url: string, observe: (adapter: SqlDriverAdapter) => SqlDriverAdapter): Db {
  if (databaseProvider(url) === "postgresql") {
    const { connectionString, schema } = postgresTarget(url);
    const client = new PostgresPrismaClient({
      adapter: observed(new PrismaPg({ connectionString }, { schema }), observe),
    });
    // The one cast between the two generated clients: they are generated from
    // the same models (scripts/db/generate.mjs derives one schema from the
    // other), so their model delegates, $transaction and raw-query APIs are
    // identical; only provider-specific types (e.g. enum metadata, the
    // adapter's provider) differ nominally.
    return client as unknown as Db;
  }
  const file = sqliteFilePath(url);
  if (file !== ":memory:") mkdirSync(path.dirname(file), { recursive: true });
  return new PrismaClient({
    adapter: observed(new SqliteAdapterFactory({ url: file, timeout: 5000 }), observe),
  });
}

// Next.js may evaluate this module more than once (several bundles, dev
// reloads): keep one client per process on globalThis.
const globalForDb = globalThis as typeof globalThis & { __runopsDb?: Db };

/** The process-wide client for $DATABASE_URL (default file:./data/runops.db). */
export function getDb(): Db {
  globalForDb.__runopsDb ??= createDb(configuredDatabaseUrl());
  return globalForDb.__runopsDb;
}

/** Disconnects and forgets the process-wide client (the next getDb() makes a new one). */
export async function closeDb(): Promise<void> {
  const db = globalForDb.__runopsDb;
  globalForDb.__runopsDb = undefined;
  if (db) await db.$disconnect();
}
