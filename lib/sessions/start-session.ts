import { randomBytes } from "node:crypto";
import { z } from "zod";
import type { Db } from "../db/client";
import { SESSION_MAX_AGE_SEC, SESSION_RETENTION_MS } from "./session-lifetime";

export const startSessionInput = z.object({
  userId: z.string().min(1),
  // What the browser says it is: shown to its owner only, never trusted, cut to a sane length.
  userAgent: z
    .string()
    .nullish()
    .transform((v) => (v ? v.slice(0, 512) : null)),
  ip: z
    .string()
    .max(64)
    .nullish()
    .transform((v) => v ?? null),
});
export type StartSessionInput = z.input<typeof startSessionInput>;

/**
 * A successful sign-in opens a session row; its id goes into the session
 * cookie. The user's sessions that ended long ago are deleted on the way, so
 * the table holds roughly the last month of sign-ins.
 */
export async function startSession(db: Pick<Db, "session">, input: StartSessionInput, now = new Date()) {
  const { userId, userAgent, ip } = startSessionInput.parse(input);
  const forgotten = new Date(now.getTime() - SESSION_RETENTION_MS);
  await db.session.deleteMany({
    where: { userId, OR: [{ expiresAt: { lt: forgotten } }, { revokedAt: { lt: forgotten } }] },
  });
  return db.session.create({
    data: {
      // Unguessable, unlike lib/ids: the id is also the handle of "sign out this session".
      id: randomBytes(18).toString("base64url"),
      userId,
      userAgent,
      ip,
      createdAt: now,
      lastSeenAt: now,
      expiresAt: new Date(now.getTime() + SESSION_MAX_AGE_SEC * 1000),
    },
  });
}
