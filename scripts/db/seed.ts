/**
 * `npm run db:seed` (also `prisma db seed`): migrates $DATABASE_URL (default
 * file:./data/runops.db; .env is read when present), then creates the demo
 * (lib/seed/seed-demo.ts) unless it exists.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { createDb } from "../../lib/db/client.ts";
import { MigrationError, migrate, projectRoot } from "../../lib/db/migrate.ts";
import { DEFAULT_DATABASE_URL, redactUrl } from "../../lib/db/url.ts";
import { seedDemo } from "../../lib/seed/seed-demo.ts";

try {
  const root = projectRoot();
  const envFile = path.join(root, ".env");
  if (existsSync(envFile)) process.loadEnvFile(envFile);
  const url = process.env.DATABASE_URL || DEFAULT_DATABASE_URL;
  await migrate(url, { log: (line) => console.log(`db:seed: ${line}`) });
  const db = createDb(url);
  try {
    const created = await seedDemo(db, root);
    console.log(
      `db:seed: ${created ? "created the demo in" : "the demo already exists in"} ${redactUrl(url)}`,
    );
  } finally {
    await db.$disconnect();
  }
} catch (error) {
  console.error(`db:seed: ${error instanceof MigrationError ? error.message : String(error)}`);
  if (!(error instanceof MigrationError) && error instanceof Error && error.stack) console.error(error.stack);
  process.exitCode = 1;
}
