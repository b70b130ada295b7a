import type { Actor } from "../access/actor";
import type { Db } from "../db/client";
import { describeDevice } from "./describe-device";

/** The signed-in user's live sessions, most recently used first, the caller's own marked. */
export async function listSessions(db: Db, actor: Actor, now = new Date()) {
  const sessions = await db.session.findMany({
    where: { userId: actor.userId, revokedAt: null, expiresAt: { gt: now } },
    orderBy: [{ lastSeenAt: "desc" }, { createdAt: "desc" }],
    select: { id: true, createdAt: true, lastSeenAt: true, userAgent: true, ip: true },
  });
  return sessions.map((s) => ({
    id: s.id,
    device: describeDevice(s.userAgent),
    ip: s.ip,
    createdAt: s.createdAt,
    lastSeenAt: s.lastSeenAt,
    current: s.id === actor.sessionId,
  }));
}
