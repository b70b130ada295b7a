import type { Actor } from "../../lib/access/actor";
import { createDb } from "../../lib/db/client";
import { createApiToken } from "../../lib/tokens/create-api-token";

/**
 * API tokens for the demo users (or, given the empty server's database, for
 * its instance admin), created straight in the e2e server's database (SQLite
 * in WAL mode: safe beside the running server), as the account page would
 * create them.
 */
export async function tokenFor(
  email: string,
  name = "cli-e2e",
  databaseUrl = process.env.E2E_DATABASE_URL ?? "file:./data/e2e.db",
): Promise<string> {
  const db = createDb(databaseUrl);
  try {
    const user = await db.user.findUniqueOrThrow({ where: { email } });
    const actor: Actor = { userId: user.id, email: user.email, name: user.name, source: "console" };
    return (await createApiToken(db, actor, { name, expiresInDays: 1 })).secret;
  } finally {
    await db.$disconnect();
  }
}
