/**
 * `npm run db:migrate` and `npm run db:seed`: the same steps `npm start`
 * takes, on their own, against $DATABASE_URL (default file:./data/runops.db).
 */
import { createDb } from "../lib/db/client";
import { migrate } from "../lib/db/migrate";
import { redactUrl } from "../lib/db/url";
import { configuredDatabaseUrl } from "../lib/env";
import { DEMO_PASSWORD, DEMO_USERS, seedDemo } from "../lib/seed/seed-demo";

const command = process.argv[2];
const url = configuredDatabaseUrl();

if (command === "migrate") {
  const { applied } = await migrate(url);
  console.log(
    applied.length ? `Applied ${applied.join(", ")} to ${redactUrl(url)}` : "Database is up to date",
  );
} else if (command === "seed") {
  await migrate(url);
  const db = createDb(url);
  const created = await seedDemo(db);
  await db.$disconnect();
  if (!created) console.log("The demo project already exists: nothing to do.");
  else {
    console.log("Demo project 'shop' created. Users (password " + DEMO_PASSWORD + "):");
    for (const u of DEMO_USERS) console.log(`  ${u.email}  ${u.note}`);
  }
} else {
  console.error("usage: tsx scripts/db-cli.ts migrate|seed");
  process.exit(2);
}
