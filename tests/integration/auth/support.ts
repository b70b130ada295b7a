import type { JWT } from "next-auth/jwt";
import type { Actor } from "../../../lib/access/actor";
import { liveSession } from "../../../lib/auth/live-session";
import { hashPassword } from "../../../lib/auth/password";
import { type ActorRequest, resolveActor } from "../../../lib/auth/resolve-actor";
import { type SignInOutcome, signInWithPassword } from "../../../lib/auth/sign-in-with-password";
import { THROTTLE_DEFAULTS, Throttle, type ThrottleSettings } from "../../../lib/auth/throttle";
import { openLimiterStore } from "../../../lib/auth/rate-limit-store";
import type { Db } from "../../../lib/db/client";
import { PEER_HEADER } from "../../../lib/http/client-address";
import { newId } from "../../../lib/ids";

export const PASSWORD = "correct horse battery";
export const FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:130.0) Gecko/20100101 Firefox/130.0";
export const SAFARI_IOS =
  "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1";

/** A user whose password is PASSWORD (hashed the current way unless `passwordHash` is given). */
export async function makeAccount(
  db: Db,
  name: string,
  options: { isAdmin?: boolean; passwordHash?: string } = {},
) {
  const user = await db.user.create({
    data: {
      id: newId(),
      email: `${name}-${newId()}@test.dev`,
      name,
      passwordHash: options.passwordHash ?? (await hashPassword(PASSWORD)),
      isAdmin: options.isAdmin ?? false,
    },
  });
  const actor: Actor = { userId: user.id, email: user.email, name: user.name, source: "console" };
  return { ...user, actor };
}

/** A throttle on the test database; `settings` overrides parts of the defaults. */
export function openThrottle(url: string, settings: Partial<ThrottleSettings> = {}) {
  return new Throttle(openLimiterStore(url), { ...THROTTLE_DEFAULTS, ...settings });
}

/** Request headers as the console's HTTP server passes them: the socket's address in the peer header. */
export function fromAddress(ip: string, extra: Record<string, string> = {}) {
  return new Headers({ [PEER_HEADER]: ip, ...extra });
}

export function signIn(
  db: Db,
  throttle: Throttle,
  email: string,
  password: string,
  from: { ip?: string; userAgent?: string } = {},
): Promise<SignInOutcome> {
  return signInWithPassword(
    db,
    throttle,
    { email, password },
    { ip: from.ip ?? "192.0.2.10", userAgent: from.userAgent ?? FIREFOX },
  );
}

/** The claims of the session cookie's JWT after a successful sign-in (what next-auth decodes from the cookie). */
export function cookieOf(outcome: SignInOutcome): JWT & { sid: string } {
  if (!outcome.ok) throw new Error(`expected a successful sign-in, got ${JSON.stringify(outcome)}`);
  return { sub: outcome.user.id, name: outcome.user.name, email: outcome.user.email, sid: outcome.sessionId };
}

/**
 * resolveActor for a console request carrying `cookie`, its session read the
 * way getServerSession does once it decoded the cookie: through the session
 * callback (a copy of the cookie is the same cookie).
 */
export function requestWith(db: Db, throttle: Throttle, cookie: JWT | null, ip = "192.0.2.10") {
  const request: ActorRequest = {
    headers: fromAddress(ip),
    source: "console",
    session: async () =>
      cookie ? liveSession(db, cookie, new Date(Date.now() + 3600_000).toISOString()) : null,
  };
  return resolveActor(db, throttle, request);
}
