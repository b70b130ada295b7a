import type { JWT } from "next-auth/jwt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { authOptions } from "../../../lib/auth/auth-options";
import { liveSession } from "../../../lib/auth/live-session";
import { closeThrottle, type Throttle } from "../../../lib/auth/throttle";
import { closeDb, type Db } from "../../../lib/db/client";
import { authenticateSession } from "../../../lib/sessions/authenticate-session";
import { listSessions } from "../../../lib/sessions/list-sessions";
import { revokeSession } from "../../../lib/sessions/revoke-session";
import { changePassword } from "../../../lib/users/change-password";
import { setInstanceAdmin } from "../../../lib/users/set-instance-admin";
import { BACKENDS, freshDatabase } from "../../support/harness";
import { refusal } from "../admin/support";
import {
  FIREFOX,
  PASSWORD,
  SAFARI_IOS,
  cookieOf,
  makeAccount,
  openThrottle,
  requestWith,
  signIn,
} from "./support";

/** What next-auth calls on POST /api/auth/signout, with the cookie's decoded JWT (no adapter session with JWTs). */
const signOutEvent = (token: JWT) => authOptions.events?.signOut?.({ token, session: { expires: "" } });

describe.each(BACKENDS)("server-side sessions on %s", (provider) => {
  let db: Db;
  let throttle: Throttle;
  let cleanup: () => Promise<void>;
  const previousUrl = process.env.DATABASE_URL;

  beforeAll(async () => {
    const fresh = await freshDatabase(provider, "auth_sessions");
    db = fresh.db;
    throttle = openThrottle(fresh.url);
    // next-auth's sign-out event uses the process-wide client: point it at this database.
    await closeDb();
    process.env.DATABASE_URL = fresh.url;
    cleanup = async () => {
      await closeDb();
      await closeThrottle();
      process.env.DATABASE_URL = previousUrl;
      await throttle.close();
      await fresh.cleanup();
    };
  });
  afterAll(async () => cleanup?.());

  it("lets a copied cookie work until sign-out, and never after", async () => {
    const ann = await makeAccount(db, "ann");
    const cookie = cookieOf(await signIn(db, throttle, ann.email, PASSWORD));
    const copy = structuredClone(cookie);
    const resolved = await requestWith(db, throttle, copy);
    expect(resolved.actor).toMatchObject({ userId: ann.id, sessionId: cookie.sid, ip: "192.0.2.10" });

    expect(await liveSession(db, copy, "2030-01-01T00:00:00.000Z")).toEqual({
      expires: "2030-01-01T00:00:00.000Z",
      user: { id: ann.id, email: ann.email, name: "ann" },
      sid: cookie.sid,
    });

    await signOutEvent(cookie);
    expect(await requestWith(db, throttle, copy)).toEqual({
      actor: null,
      status: 401,
      reason: "Sign in or send a valid API token",
    });
    // GET /api/auth/session with the copy: no user either.
    expect(await liveSession(db, copy, "2030-01-01T00:00:00.000Z")).toEqual({
      expires: "2030-01-01T00:00:00.000Z",
    });
    expect((await db.session.findUniqueOrThrow({ where: { id: cookie.sid } })).revokedAt).not.toBeNull();
  });

  it("refuses a cookie without a session id, with another user's id, or past its expiry", async () => {
    const bea = await makeAccount(db, "bea");
    const cal = await makeAccount(db, "cal");
    const cookie = cookieOf(await signIn(db, throttle, bea.email, PASSWORD));
    // A cookie issued before server-side sessions existed.
    expect((await requestWith(db, throttle, { sub: bea.id })).actor).toBeNull();
    expect((await requestWith(db, throttle, { sub: cal.id, sid: cookie.sid })).actor).toBeNull();
    expect((await requestWith(db, throttle, null)).actor).toBeNull();
    await db.session.update({ where: { id: cookie.sid }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect((await requestWith(db, throttle, cookie)).actor).toBeNull();
  });

  it("refreshes lastSeenAt (and the sliding expiry) at most once a minute", async () => {
    const dan = await makeAccount(db, "dan");
    const { sid } = cookieOf(await signIn(db, throttle, dan.email, PASSWORD));
    const start = await db.session.findUniqueOrThrow({ where: { id: sid } });
    const at = (ms: number) => new Date(start.lastSeenAt.getTime() + ms);
    expect(await authenticateSession(db, { sessionId: sid, userId: dan.id }, at(30_000))).not.toBeNull();
    expect((await db.session.findUniqueOrThrow({ where: { id: sid } })).lastSeenAt).toEqual(start.lastSeenAt);
    expect(await authenticateSession(db, { sessionId: sid, userId: dan.id }, at(61_000))).not.toBeNull();
    const later = await db.session.findUniqueOrThrow({ where: { id: sid } });
    expect(later.lastSeenAt).toEqual(at(61_000));
    expect(later.expiresAt.getTime()).toBeGreaterThan(start.expiresAt.getTime());
  });

  it("ends the other sessions on a password change, keeping the one that made it, unless asked not to", async () => {
    const eve = await makeAccount(db, "eve");
    const here = cookieOf(await signIn(db, throttle, eve.email, PASSWORD, { userAgent: FIREFOX }));
    const phone = cookieOf(
      await signIn(db, throttle, eve.email, PASSWORD, { ip: "198.51.100.4", userAgent: SAFARI_IOS }),
    );
    const laptop = cookieOf(await signIn(db, throttle, eve.email, PASSWORD, { ip: "198.51.100.5" }));
    const actor = (await requestWith(db, throttle, here)).actor;
    if (!actor) throw new Error("expected a session");

    // The form's spelling: hidden "false" then the unticked box sends nothing.
    await changePassword(db, actor, {
      current: PASSWORD,
      password: "a second password",
      confirm: "a second password",
      signOutOthers: "false",
    });
    expect((await requestWith(db, throttle, phone)).actor).not.toBeNull();

    const { sessionsEnded } = await changePassword(db, actor, {
      current: "a second password",
      password: "a third password",
      confirm: "a third password",
    });
    expect(sessionsEnded).toBe(2);
    expect((await requestWith(db, throttle, here)).actor).toMatchObject({ userId: eve.id });
    expect((await requestWith(db, throttle, phone)).actor).toBeNull();
    expect((await requestWith(db, throttle, laptop, "198.51.100.5")).actor).toBeNull();
    const event = await db.auditEvent.findFirstOrThrow({
      where: { action: "user.password_changed", actorId: eve.id },
      orderBy: { id: "desc" },
    });
    expect(JSON.parse(event.details ?? "{}")).toEqual({ otherSessionsEnded: 2 });
  });

  it("ends every session of a user whose instance-admin role is taken away", async () => {
    const root = await makeAccount(db, "root", { isAdmin: true });
    const fay = await makeAccount(db, "fay", { isAdmin: true });
    const one = cookieOf(await signIn(db, throttle, fay.email, PASSWORD));
    const two = cookieOf(await signIn(db, throttle, fay.email, PASSWORD, { ip: "198.51.100.9" }));
    const rootCookie = cookieOf(await signIn(db, throttle, root.email, PASSWORD));

    await setInstanceAdmin(db, root.actor, { userId: fay.id, isAdmin: "true" }); // already: nothing ends
    expect((await requestWith(db, throttle, one)).actor).not.toBeNull();
    await setInstanceAdmin(db, root.actor, { userId: fay.id, isAdmin: "false" });
    expect((await requestWith(db, throttle, one)).actor).toBeNull();
    expect((await requestWith(db, throttle, two, "198.51.100.9")).actor).toBeNull();
    expect((await requestWith(db, throttle, rootCookie)).actor).toMatchObject({ userId: root.id });

    // Signing in again works, as a user.
    const again = cookieOf(await signIn(db, throttle, fay.email, PASSWORD));
    expect((await requestWith(db, throttle, again)).actor).toMatchObject({ userId: fay.id });
    expect((await db.user.findUniqueOrThrow({ where: { id: fay.id } })).isAdmin).toBe(false);
  });

  it("lists the live sessions with their device, and signs out one of them, only the owner's", async () => {
    const gil = await makeAccount(db, "gil");
    const other = await makeAccount(db, "hal");
    const here = cookieOf(await signIn(db, throttle, gil.email, PASSWORD, { userAgent: FIREFOX }));
    const phone = cookieOf(
      await signIn(db, throttle, gil.email, PASSWORD, { ip: "198.51.100.77", userAgent: SAFARI_IOS }),
    );
    const ended = cookieOf(await signIn(db, throttle, gil.email, PASSWORD));
    await signOutEvent({ sid: ended.sid });
    const actor = (await requestWith(db, throttle, here)).actor;
    if (!actor) throw new Error("expected a session");

    const listed = await listSessions(db, actor);
    expect(listed.map((s) => [s.id, s.device, s.ip, s.current]).sort()).toEqual(
      [
        [here.sid, "Firefox on Linux", "192.0.2.10", true],
        [phone.sid, "Safari on iOS", "198.51.100.77", false],
      ].sort(),
    );

    expect((await refusal(revokeSession(db, other.actor, { sessionId: phone.sid }))).status).toBe(404);
    expect((await requestWith(db, throttle, phone, "198.51.100.77")).actor).not.toBeNull();
    expect(await revokeSession(db, actor, { sessionId: phone.sid })).toMatchObject({ current: false });
    expect((await requestWith(db, throttle, phone, "198.51.100.77")).actor).toBeNull();
    expect((await requestWith(db, throttle, here)).actor).not.toBeNull();
    expect((await listSessions(db, actor)).map((s) => s.id)).toEqual([here.sid]);
    const event = await db.auditEvent.findFirstOrThrow({ where: { action: "user.session_revoked" } });
    expect(event).toMatchObject({ actorId: gil.id, target: gil.email });
    expect(JSON.parse(event.details ?? "{}")).toMatchObject({ device: "Safari on iOS", ip: "198.51.100.77" });
  });
});
