import { z } from "zod";
import type { Db } from "../db/client";
import { LAST_SEEN_RESOLUTION_MS, SESSION_MAX_AGE_SEC } from "./session-lifetime";

export const authenticateSessionInput = z.object({
  sessionId: z.string().min(1),
  userId: z.string().min(1),
});

/**
 * The user of a console request's session, or null when the session was
 * ended (sign-out, password change, role removal, "sign out" on the account
 * page), has expired, or belongs to someone else. A valid cookie is not
 * enough: it is a copy anyone may hold, the row is the truth. `lastSeenAt`
 * (and with it the sliding expiry) is written at most once a minute.
 */
export async function authenticateSession(
  db: Pick<Db, "session">,
  input: z.input<typeof authenticateSessionInput>,
  now = new Date(),
) {
  const { sessionId, userId } = authenticateSessionInput.parse(input);
  const session = await db.session.findUnique({ where: { id: sessionId }, include: { user: true } });
  if (!session || session.userId !== userId || session.revokedAt || session.expiresAt <= now) return null;
  if (now.getTime() - session.lastSeenAt.getTime() >= LAST_SEEN_RESOLUTION_MS) {
    // Guarded on revokedAt: a sign-out racing with this request is not undone.
    await db.session.updateMany({
      where: { id: session.id, revokedAt: null },
      data: { lastSeenAt: now, expiresAt: new Date(now.getTime() + SESSION_MAX_AGE_SEC * 1000) },
    });
  }
  return session.user;
}
