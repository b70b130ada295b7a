import { z } from "zod";
import type { Db } from "../db/client";

export const revokeUserSessionsInput = z.object({
  userId: z.string().min(1),
  /** The caller's own session, kept (a password change signs out the *other* sessions). */
  exceptSessionId: z.string().min(1).optional(),
});

/**
 * Ends every live session of a user (but `exceptSessionId`): after a password
 * change, or when the instance-admin role is taken away. Takes a client or a
 * transaction, so it commits with the change that caused it. Returns how many ended.
 */
export async function revokeUserSessions(
  db: Pick<Db, "session">,
  input: z.input<typeof revokeUserSessionsInput>,
  now = new Date(),
): Promise<number> {
  const { userId, exceptSessionId } = revokeUserSessionsInput.parse(input);
  const { count } = await db.session.updateMany({
    where: {
      userId,
      revokedAt: null,
      expiresAt: { gt: now },
      ...(exceptSessionId ? { id: { not: exceptSessionId } } : {}),
    },
    data: { revokedAt: now },
  });
  return count;
}
