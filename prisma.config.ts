// Configuration of the stock Prisma CLI (Prisma 7 reads it for every command).
// See docs/decisions/0002-prisma-offline.md: in runops the CLI is only needed
// for `prisma generate` (scripts/db/generate.mjs passes --schema for each of
// the two schemas); migrations are authored by scripts/db/new-migration.mjs and
// applied by lib/db/migrate.ts. With a real schema engine installed (machines
// with network), `prisma migrate status|deploy`, `prisma studio` etc. still
// work against DATABASE_URL with the schema and history of its provider.
import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig } from "prisma/config";
import { databaseProvider, sqliteFilePath } from "./lib/db/url";
import { configuredDatabaseUrl } from "./lib/env";

const root = path.dirname(fileURLToPath(import.meta.url));

// Prisma 7 does not load .env by itself. Variables already set win.
const envFile = path.join(root, ".env");
if (existsSync(envFile)) process.loadEnvFile(envFile);

// Read and resolved as runops reads it (lib/env.ts, lib/db/url.ts).
const url = configuredDatabaseUrl();
const isPostgres = databaseProvider(url) === "postgresql";

// Without the native schema engine (it cannot be downloaded here), point the
// CLI at a stand-in that fails with an explanation: a missing or dummy engine
// otherwise makes `migrate` and `db push` exit 0 having done nothing.
function hasRealSchemaEngine(): boolean {
  const configured = process.env.PRISMA_SCHEMA_ENGINE_BINARY;
  if (configured) return existsSync(configured);
  const enginesDir = path.join(root, "node_modules/@prisma/engines");
  return existsSync(enginesDir) && readdirSync(enginesDir).some((f) => f.startsWith("schema-engine"));
}
if (!hasRealSchemaEngine()) {
  process.env.PRISMA_SCHEMA_ENGINE_BINARY = path.join(root, "scripts/db/no-schema-engine.mjs");
}

export default defineConfig({
  schema: isPostgres ? "prisma/postgres/schema.prisma" : "prisma/schema.prisma",
  migrations: {
    path: isPostgres ? "prisma/postgres/migrations" : "prisma/migrations",
    seed: "npm run db:seed",
  },
  datasource: {
    url: isPostgres ? url : `file:${sqliteFilePath(url)}`,
  },
});
