import { rawDate } from "../db/raw-values";
import type { Db } from "../db/client";
import { hashTokenSecret, looksLikeToken } from "./token-secret";

/** lastUsedAt is a hint for people, not an access log: refresh it at most once a minute. */
const LAST_USED_RESOLUTION_MS = 60_000;

type Row = {
  id: string;
  expiresAt: unknown;
  lastUsedAt: unknown;
  revokedAt: unknown;
  userId: string;
  email: string;
  name: string;
};

/**
 * The user a bearer token belongs to, or null if it is unknown, revoked or
 * expired. Every API request starts here: one statement reads the token with
 * its user, and a second one (at most once a minute) records its use.
 */
export async function authenticateToken(db: Db, secret: string) {
  if (!looksLikeToken(secret)) return null;
  const rows = await db.$queryRaw<Row[]>`
    SELECT t.id, t."expiresAt", t."lastUsedAt", t."revokedAt", u.id AS "userId", u.email, u.name
    FROM "ApiToken" t JOIN "User" u ON u.id = t."userId"
    WHERE t."tokenHash" = ${hashTokenSecret(secret)}`;
  const token = rows[0];
  const now = new Date();
  if (!token || rawDate(token.revokedAt)) return null;
  const expiresAt = rawDate(token.expiresAt);
  if (expiresAt && expiresAt <= now) return null;
  const lastUsedAt = rawDate(token.lastUsedAt);
  if (!lastUsedAt || now.getTime() - lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
    await db.apiToken.update({ where: { id: token.id }, data: { lastUsedAt: now }, select: { id: true } });
  }
  return { id: String(token.userId), email: String(token.email), name: String(token.name) };
}
