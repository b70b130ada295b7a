import type { Actor } from "../access/actor";
import type { Db } from "../db/client";

/** The actor's tokens, newest first, with their status (never their secrets: only the hash exists). */
export async function listApiTokens(db: Db, actor: Actor, now = new Date()) {
  const tokens = await db.apiToken.findMany({
    where: { userId: actor.userId },
    orderBy: { id: "desc" },
    select: {
      id: true,
      name: true,
      prefix: true,
      createdAt: true,
      expiresAt: true,
      lastUsedAt: true,
      revokedAt: true,
    },
  });
  return tokens.map((t) => ({
    ...t,
    status: t.revokedAt ? "revoked" : t.expiresAt !== null && t.expiresAt <= now ? "expired" : "active",
  }));
}
