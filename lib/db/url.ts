// Reading DATABASE_URL: which database it names and how to reach it. Shared by
// lib/db/client.ts and lib/db/migrate.ts (no Prisma import here).
import path from "node:path";

export type DatabaseProvider = "sqlite" | "postgresql";

export const DEFAULT_DATABASE_URL = "file:./data/runops.db";

const POSTGRES_URL = /^postgres(ql)?:\/\//i;

/** "postgresql" for postgres:// and postgresql:// URLs, else "sqlite" (file: URL or plain path). */
export function databaseProvider(url: string): DatabaseProvider {
  return POSTGRES_URL.test(url.trim()) ? "postgresql" : "sqlite";
}

/**
 * The SQLite database file a URL names: `file:./x.db`, `file:/abs/x.db`,
 * `file:x.db?opt=…` (query ignored) or a plain path. Relative paths are
 * resolved against process.cwd(). `:memory:` is returned as is.
 */
export function sqliteFilePath(url: string): string {
  const trimmed = url.trim();
  if (databaseProvider(trimmed) !== "sqlite") {
    throw new Error(`Not a SQLite database URL: ${redactUrl(trimmed)}`);
  }
  let file = trimmed;
  if (/^file:/i.test(file)) {
    file = file.slice("file:".length).split("?")[0] ?? "";
    // file:///abs/path (RFC 8089 form) -> /abs/path
    if (file.startsWith("//")) file = file.replace(/^\/\/[^/]*/, "");
    file = decodeURIComponent(file);
  }
  if (file === "") throw new Error(`No file in SQLite database URL ${JSON.stringify(url)}`);
  if (file === ":memory:") return file;
  // The database file is chosen at run time: keep the bundler from tracing it.
  return path.resolve(/*turbopackIgnore: true*/ process.cwd(), file);
}

export interface PostgresTarget {
  /** The URL without Prisma's `schema` parameter (pg does not know it). */
  connectionString: string;
  /** Prisma's `?schema=` parameter; undefined means the server's search_path (usually public). */
  schema: string | undefined;
}

/** Splits Prisma's `?schema=name` parameter off a PostgreSQL URL. */
export function postgresTarget(url: string): PostgresTarget {
  const parsed = new URL(url.trim());
  const schema = parsed.searchParams.get("schema") ?? undefined;
  parsed.searchParams.delete("schema");
  return { connectionString: parsed.toString(), schema: schema === "" ? undefined : schema };
}

/** The URL with any password replaced, for messages and logs. */
export function redactUrl(url: string): string {
  if (databaseProvider(url) !== "postgresql") return url;
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return url;
  }
}
