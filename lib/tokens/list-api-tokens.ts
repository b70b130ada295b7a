import type { Actor } from "../access/actor";
import type { Db } from "../db/client";

/** The actor's tokens, newest first (never their secrets: only the hash exists). */
export async function listApiTokens(db: Db, actor: Actor) {
  return db.apiToken.findMany({
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
}
