import type { Actor } from "../access/actor";
import { recordAudit } from "../audit/record-audit";
import type { Db } from "../db/client";
import { notFound } from "../errors";

/** Revokes one of the actor's own tokens; the very next request with it is refused. */
export async function revokeApiToken(db: Db, actor: Actor, tokenId: string) {
  const token = await db.apiToken.findUnique({ where: { id: tokenId } });
  if (!token || token.userId !== actor.userId) throw notFound("token");
  if (token.revokedAt) return token;
  const revoked = await db.apiToken.update({ where: { id: tokenId }, data: { revokedAt: new Date() } });
  await recordAudit(db, {
    projectId: null,
    actor,
    action: "token.revoked",
    target: token.name,
    details: { tokenId },
  });
  return revoked;
}
