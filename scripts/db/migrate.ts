/**
 * `npm run db:migrate`: applies the committed migrations to $DATABASE_URL
 * (default file:./data/runops.db; .env is read when present). Needs no schema
 * engine: see lib/db/migrate.ts and docs/decisions/0002-prisma-offline.md.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { MigrationError, migrate, projectRoot } from "../../lib/db/migrate.ts";
import { DEFAULT_DATABASE_URL, redactUrl } from "../../lib/db/url.ts";

try {
  const envFile = path.join(projectRoot(), ".env");
  if (existsSync(envFile)) process.loadEnvFile(envFile);
  const url = process.env.DATABASE_URL || DEFAULT_DATABASE_URL;
  console.log(`db:migrate: ${redactUrl(url)}`);
  await migrate(url, { log: (line) => console.log(`db:migrate: ${line}`) });
} catch (error) {
  console.error(`db:migrate: ${error instanceof MigrationError ? error.message : String(error)}`);
  if (!(error instanceof MigrationError) && error instanceof Error && error.stack) console.error(error.stack);
  process.exitCode = 1;
}
