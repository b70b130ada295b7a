import { z } from "zod";
import type { Db } from "../db/client";

export const endSessionInput = z.object({ sessionId: z.string().min(1) });

/**
 * Sign-out: the session the cookie named is over, server-side, so a copy of
 * the cookie taken before grants nothing afterwards. Ending an ended or
 * unknown session does nothing.
 */
export async function endSession(
  db: Pick<Db, "session">,
  input: z.input<typeof endSessionInput>,
  now = new Date(),
) {
  const { sessionId } = endSessionInput.parse(input);
  const { count } = await db.session.updateMany({
    where: { id: sessionId, revokedAt: null },
    data: { revokedAt: now },
  });
  return count > 0;
}
