import { z } from "zod";
import { recordAudit } from "../audit/record-audit";
import type { Db } from "../db/client";
import { SESSION_RETENTION_MS } from "../sessions/session-lifetime";
import { startSession } from "../sessions/start-session";
import { dummyHash, hashPassword, needsRehash, verifyPassword } from "./password";
import type { Throttle } from "./throttle";

export const signInInput = z.object({
  email: z.string().trim().toLowerCase().max(254).pipe(z.email()),
  // Bounded: hashing a megabyte-long "password" is work an attacker should not get for free.
  password: z.string().min(1).max(1024),
});

export type SignInOutcome =
  | { ok: true; user: { id: string; email: string; name: string }; sessionId: string }
  | { ok: false; reason: "invalid" }
  | { ok: false; reason: "throttled"; retryAfterSec: number };

export type SignInFrom = { ip: string | null; userAgent: string | null };

/** The password check, replaceable so tests can watch it (they pass the real one, wrapped). */
export type PasswordVerifier = (password: string, stored: string) => Promise<boolean>;

/**
 * Email and password sign-in, what next-auth's credentials provider runs.
 * In order: the attempt is throttled (before any check, atomically, for
 * existing and unknown emails alike); the password is verified — against a
 * dummy hash of the current algorithm when the email is unknown, so both
 * answers take the same time; a failure is audited; a success resets the
 * throttle, upgrades an outdated hash (the password is known right now) and
 * opens a server-side session whose id goes into the cookie.
 */
export async function signInWithPassword(
  db: Db,
  throttle: Throttle,
  raw: unknown,
  from: SignInFrom,
  verify: PasswordVerifier = verifyPassword,
): Promise<SignInOutcome> {
  const parsed = signInInput.safeParse(raw);
  if (!parsed.success) return { ok: false, reason: "invalid" };
  const { email, password } = parsed.data;
  const user = await db.user.findUnique({ where: { email } });
  // Asked for unknown emails too (of no user), so the two paths make the same queries.
  const knownAddress =
    from.ip !== null &&
    (await db.session.findFirst({
      where: {
        userId: user?.id ?? "",
        ip: from.ip,
        createdAt: { gte: new Date(Date.now() - SESSION_RETENTION_MS) },
      },
      select: { id: true },
    })) !== null;
  const admission = await throttle.admitSignIn({ email, address: from.ip, knownAddress });
  if (!admission.admitted) return { ok: false, reason: "throttled", retryAfterSec: admission.retryAfterSec };

  const matches = await verify(password, user?.passwordHash ?? (await dummyHash()));
  if (!user || !matches) {
    const pausedSec = await throttle.signInFailed(admission.ticket);
    // Instance-wide (no project): what a password-guessing attempt looks like to an admin.
    await recordAudit(db, {
      projectId: null,
      actor: null,
      actorLabel: email,
      action: "auth.signin_failed",
      target: email,
      details: { reason: user ? "wrong password" : "unknown email", ...(pausedSec ? { pausedSec } : {}) },
      ip: from.ip,
    });
    return { ok: false, reason: "invalid" };
  }

  await throttle.signInSucceeded(admission.ticket);
  if (needsRehash(user.passwordHash)) {
    // Conditional: a password change that raced with this sign-in is not overwritten.
    await db.user.updateMany({
      where: { id: user.id, passwordHash: user.passwordHash },
      data: { passwordHash: await hashPassword(password) },
    });
  }
  const session = await startSession(db, { userId: user.id, userAgent: from.userAgent, ip: from.ip });
  return { ok: true, user: { id: user.id, email: user.email, name: user.name }, sessionId: session.id };
}
