import type { DefaultSession } from "next-auth";
import { z } from "zod";
import type { Db } from "../db/client";
import { authenticateSession } from "../sessions/authenticate-session";

/** The claims runops puts in the session cookie's JWT (auth-options `jwt` callback). */
const claims = z.object({ sub: z.string().min(1), sid: z.string().min(1) });

export type LiveSession = DefaultSession & {
  user: { id: string; email: string; name: string };
  sid: string;
};

/**
 * next-auth's `session` callback: every read of a session — getServerSession
 * on the server, GET /api/auth/session from the browser — goes through it. A
 * valid cookie is not enough: its server-side session must be live and the
 * user's, else the answer has no user (a copied cookie says nothing about
 * its owner once signed out). The user is as the database has them now.
 */
export async function liveSession(
  db: Db,
  token: unknown,
  expires: string,
): Promise<LiveSession | DefaultSession> {
  const claim = claims.safeParse(token);
  if (!claim.success) return { expires };
  const user = await authenticateSession(db, { sessionId: claim.data.sid, userId: claim.data.sub });
  if (!user) return { expires };
  return { expires, user: { id: user.id, email: user.email, name: user.name }, sid: claim.data.sid };
}
