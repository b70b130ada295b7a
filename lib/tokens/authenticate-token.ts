import type { Db } from "../db/client";
import { hashTokenSecret, looksLikeToken } from "./token-secret";

/** lastUsedAt is a hint for people, not an access log: refresh it at most once a minute. */
const LAST_USED_RESOLUTION_MS = 60_000;

/** The user a bearer token belongs to, or null if it is unknown, revoked or expired. */
export async function authenticateToken(db: Db, secret: string) {
  if (!looksLikeToken(secret)) return null;
  const token = await db.apiToken.findUnique({
    where: { tokenHash: hashTokenSecret(secret) },
    include: { user: true },
  });
  const now = new Date();
  if (!token || token.revokedAt || (token.expiresAt && token.expiresAt <= now)) return null;
  if (!token.lastUsedAt || now.getTime() - token.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
    await db.apiToken.update({ where: { id: token.id }, data: { lastUsedAt: now } });
  }
  return token.user;
}
