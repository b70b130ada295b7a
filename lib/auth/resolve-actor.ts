import { z } from "zod";
import type { Actor, RunSource } from "../access/actor";
import type { Db } from "../db/client";
import { clientAddress } from "../http/client-address";
import { authenticateToken } from "../tokens/authenticate-token";
import { type Throttle, waitText } from "./throttle";

export type Resolved =
  | { actor: Actor }
  | { actor: null; status: 401; reason: string }
  | { actor: null; status: 429; reason: string; retryAfterSec: number };

export type ActorRequest = {
  headers: Headers;
  source: RunSource;
  /**
   * next-auth's session for the request's cookie (getServerSession, which checks the session is
   * live); only asked for when no bearer token is sent.
   */
  session: () => Promise<unknown>;
};

/** A live session as next-auth's session callback answers it (lib/auth/live-session.ts); else it has no user. */
const sessionSchema = z.object({
  user: z.object({ id: z.string().min(1), email: z.string(), name: z.string() }),
  sid: z.string().min(1),
});

const throttled = (retryAfterSec: number): Resolved => ({
  actor: null,
  status: 429,
  reason: `Too many requests with invalid API tokens from your address. Try again in ${waitText(retryAfterSec)}.`,
  retryAfterSec,
});

/**
 * Who is making a request: a bearer API token (API and CLI) or the console
 * session. Either way the user is read from the database on every request:
 * a deleted user, a revoked token or an ended session grants nothing from
 * the next request on (a session cookie is only as good as its server-side
 * row: lib/auth/live-session.ts). Bad bearer tokens are throttled per client
 * address: while an address is paused, its token requests are answered 429.
 */
export async function resolveActor(db: Db, throttle: Throttle, request: ActorRequest): Promise<Resolved> {
  const { headers, source } = request;
  const ip = clientAddress(headers);
  const authorization = headers.get("authorization");
  if (authorization) {
    const paused = await throttle.tokenPaused(ip);
    if (paused !== null) return throttled(paused);
    const match = /^Bearer\s+(\S+)$/i.exec(authorization);
    const user = match?.[1] ? await authenticateToken(db, match[1]) : null;
    if (!user) {
      const wait = await throttle.tokenFailed(ip);
      if (wait !== null) return throttled(wait);
      const reason = match
        ? "The API token is invalid, expired or revoked"
        : "The Authorization header must be `Bearer <token>`";
      return { actor: null, status: 401, reason };
    }
    const door: RunSource = headers.get("x-runops-client")?.startsWith("cli") ? "cli" : "api";
    return { actor: { userId: user.id, email: user.email, name: user.name, source: door, ip } };
  }
  // No cookie, an ended or expired session, or a cookie from before server-side sessions (no sid).
  const session = sessionSchema.safeParse(await request.session());
  if (!session.success) return { actor: null, status: 401, reason: "Sign in or send a valid API token" };
  const { user, sid } = session.data;
  return { actor: { userId: user.id, email: user.email, name: user.name, source, ip, sessionId: sid } };
}
