import type { Actor } from "../../lib/access/actor";
import { type Db, createDb } from "../../lib/db/client";
import { hashPassword } from "../../lib/auth/password";
import { newId } from "../../lib/ids";
import { createApiToken } from "../../lib/tokens/create-api-token";

/** The database of the e2e server (SQLite in WAL mode: safe to use beside it). */
export function e2eDb(): Db {
  return createDb(process.env.E2E_DATABASE_URL ?? "file:./data/e2e.db");
}

export async function actorFor(db: Db, email: string): Promise<Actor> {
  const user = await db.user.findUniqueOrThrow({ where: { email } });
  return { userId: user.id, email: user.email, name: user.name, source: "console" };
}

/** A fresh API token for a user, as the account page would create it. */
export async function tokenFor(db: Db, email: string, name = "e2e"): Promise<string> {
  return (await createApiToken(db, await actorFor(db, email), { name, expiresInDays: 30 })).secret;
}

/** A new user, optionally a member of `shop` with the given roles. */
export async function newUser(
  db: Db,
  label: string,
  membership?: {
    projectRole: "admin" | "viewer";
    productionRole?: string;
    stagingRole?: string;
    developmentRole?: string;
  },
) {
  const email = `${label}-${newId()}@example.com`;
  const user = await db.user.create({
    data: { id: newId(), email, name: label, passwordHash: await hashPassword("unused-password") },
  });
  if (membership) {
    const shop = await db.project.findUniqueOrThrow({ where: { slug: "shop" } });
    await db.membership.create({ data: { id: newId(), projectId: shop.id, userId: user.id, ...membership } });
  }
  return { user, email };
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
