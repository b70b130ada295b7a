import type { CredentialsConfig } from "next-auth/providers/credentials";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { authOptions } from "../../../lib/auth/auth-options";
import { verifyPassword } from "../../../lib/auth/password";
import { resolveActor } from "../../../lib/auth/resolve-actor";
import { type SignInOutcome, signInWithPassword } from "../../../lib/auth/sign-in-with-password";
import {
  THROTTLE_DEFAULTS,
  type Throttle,
  type ThrottleSettings,
  closeThrottle,
} from "../../../lib/auth/throttle";
import { answeringThrottled } from "../../../lib/auth/throttled-answer";
import { type Db, closeDb } from "../../../lib/db/client";
import { createApiToken } from "../../../lib/tokens/create-api-token";
import { BACKENDS, freshDatabase, waitFor } from "../../support/harness";
import { PASSWORD, fromAddress, makeAccount, openThrottle, signIn } from "./support";

/** The defaults' shape with short waits: 3 free failures, pauses of 1 s doubling to 4 s. */
const FAST: ThrottleSettings = {
  signIn: {
    accountAddress: { free: 3, windowSec: 60, firstPauseSec: 1, maxPauseSec: 4, memorySec: 600 },
    address: { points: 1000, durationSec: 60 },
    account: { points: 1000, durationSec: 60 },
  },
  token: { free: 3, windowSec: 60, firstPauseSec: 1, maxPauseSec: 4, memorySec: 600 },
};

const throttled = (retryAfterSec: number): SignInOutcome => ({
  ok: false,
  reason: "throttled",
  retryAfterSec,
});
const INVALID: SignInOutcome = { ok: false, reason: "invalid" };

describe.each(BACKENDS)("sign-in and API token throttling on %s", (provider) => {
  let db: Db;
  let url: string;
  let cleanup: () => Promise<void>;
  const throttles: Throttle[] = [];
  const throttle = (settings: Partial<ThrottleSettings> = {}) => {
    const t = openThrottle(url, { ...FAST, ...settings });
    throttles.push(t);
    return t;
  };

  beforeAll(async () => {
    const fresh = await freshDatabase(provider, "auth_throttle");
    db = fresh.db;
    url = fresh.url;
    cleanup = async () => {
      await Promise.all(throttles.map((t) => t.close()));
      await fresh.cleanup();
    };
  });
  afterAll(async () => cleanup?.());

  it("pauses one account at one address after its free failures, then lets the right password in", async () => {
    const t = throttle();
    const ann = await makeAccount(db, "ann");
    const at = { ip: "192.0.2.1" };
    for (let i = 0; i < 3; i++) expect(await signIn(db, t, ann.email, "wrong password", at)).toEqual(INVALID);
    // The third failure started a pause: even the right password waits (throttled, not locked out)...
    expect(await signIn(db, t, ann.email, "wrong password", at)).toEqual(throttled(1));
    expect(await signIn(db, t, ann.email, PASSWORD, at)).toEqual(throttled(1));
    // ...but not from another address.
    expect(await signIn(db, t, ann.email, PASSWORD, { ip: "192.0.2.2" })).toMatchObject({ ok: true });
    const paused = await db.auditEvent.findFirstOrThrow({
      where: { action: "auth.signin_failed", target: ann.email },
      orderBy: { id: "desc" },
    });
    expect(JSON.parse(paused.details ?? "{}")).toEqual({ reason: "wrong password", pausedSec: 1 });

    // Once the pause is over, the right password works, and the count starts afresh.
    await waitFor(async () => (await signIn(db, t, ann.email, PASSWORD, at)).ok, 10_000, "the pause to end");
    for (let i = 0; i < 3; i++) expect(await signIn(db, t, ann.email, "wrong password", at)).toEqual(INVALID);
    expect(await signIn(db, t, ann.email, PASSWORD, at)).toEqual(throttled(1));
  });

  it("makes each further pause longer until a success", async () => {
    const t = throttle();
    const bob = await makeAccount(db, "bob");
    const at = { ip: "192.0.2.3" };
    const fail = () => signIn(db, t, bob.email, "wrong password", at);
    for (let i = 0; i < 3; i++) await fail();
    expect(await fail()).toEqual(throttled(1));
    // The first wrong password let in after the pause is the first of the next three...
    await waitFor(
      async () => {
        const outcome = await fail();
        return !outcome.ok && outcome.reason === "invalid";
      },
      10_000,
      "the pause to end",
    );
    expect(await fail()).toEqual(INVALID);
    expect(await fail()).toEqual(INVALID);
    // ...and the next pause is twice as long.
    expect(await fail()).toEqual(throttled(2));
  });

  it("lets only the free attempts through when guesses arrive all at once", async () => {
    const t = throttle();
    const cy = await makeAccount(db, "cy");
    let verified = 0;
    const counting = async (password: string, stored: string) => {
      verified += 1;
      return verifyPassword(password, stored);
    };
    const outcomes = await Promise.all(
      Array.from({ length: 30 }, () =>
        signInWithPassword(
          db,
          t,
          { email: cy.email, password: "wrong password" },
          { ip: "192.0.2.4", userAgent: null },
          counting,
        ),
      ),
    );
    expect(verified).toBe(3);
    expect(outcomes.filter((o) => !o.ok && o.reason === "invalid")).toHaveLength(3);
    expect(outcomes.filter((o) => !o.ok && o.reason === "throttled")).toHaveLength(27);
  });

  it("throttles unknown emails exactly like existing ones", async () => {
    const t = throttle();
    const at = { ip: "192.0.2.5" };
    for (let i = 0; i < 3; i++) expect(await signIn(db, t, "nobody@test.dev", "guess", at)).toEqual(INVALID);
    expect(await signIn(db, t, "nobody@test.dev", "guess", at)).toEqual(throttled(1));
  });

  it("limits failures per address across emails; successes do not count", async () => {
    const t = throttle({ signIn: { ...FAST.signIn, address: { points: 4, durationSec: 60 } } });
    const dee = await makeAccount(db, "dee");
    const at = { ip: "192.0.2.6" };
    for (const who of ["a", "b", "c"])
      expect(await signIn(db, t, `${who}@test.dev`, "guess", at)).toEqual(INVALID);
    for (let i = 0; i < 5; i++) expect((await signIn(db, t, dee.email, PASSWORD, at)).ok).toBe(true);
    expect(await signIn(db, t, "d@test.dev", "guess", at)).toEqual(INVALID);
    const refused = await signIn(db, t, "e@test.dev", "guess", at);
    expect(refused).toMatchObject({ ok: false, reason: "throttled" });
    expect(await signIn(db, t, "e@test.dev", "guess", { ip: "192.0.2.7" })).toEqual(INVALID);
    expect(
      await t.admitSignIn({ email: "e@test.dev", address: "192.0.2.6", knownAddress: false }),
    ).toMatchObject({ admitted: false, limit: "address" });
  });

  it("limits failures per account across addresses, except from an address its owner signed in from", async () => {
    const t = throttle({ signIn: { ...FAST.signIn, account: { points: 3, durationSec: 60 } } });
    const eli = await makeAccount(db, "eli");
    expect((await signIn(db, t, eli.email, PASSWORD, { ip: "198.51.100.1" })).ok).toBe(true);
    for (const ip of ["203.0.113.1", "203.0.113.2", "203.0.113.3"]) {
      expect(await signIn(db, t, eli.email, "guess", { ip })).toEqual(INVALID);
    }
    expect(await signIn(db, t, eli.email, PASSWORD, { ip: "203.0.113.4" })).toMatchObject({
      ok: false,
      reason: "throttled",
    });
    // The owner, at home, is not kept out by someone failing on purpose elsewhere.
    expect((await signIn(db, t, eli.email, PASSWORD, { ip: "198.51.100.1" })).ok).toBe(true);
  });

  it("answers bad bearer tokens 401, then 429 with Retry-After for that address only", async () => {
    const t = throttle();
    const fox = await makeAccount(db, "fox");
    const { secret } = await createApiToken(db, fox.actor, { name: "cli" });
    const call = (token: string, ip: string) =>
      resolveActor(db, t, {
        headers: fromAddress(ip, { authorization: `Bearer ${token}` }),
        source: "api",
        session: async () => null,
      });
    const bad = `rop_${"x".repeat(43)}`;
    for (let i = 0; i < 3; i++)
      expect(await call(bad, "192.0.2.8")).toMatchObject({ actor: null, status: 401 });
    expect(await call(bad, "192.0.2.8")).toMatchObject({ actor: null, status: 429, retryAfterSec: 1 });
    // While paused, the address gets nothing through, not even a valid token; other addresses do.
    expect(await call(secret, "192.0.2.8")).toMatchObject({ actor: null, status: 429 });
    expect(await call(secret, "192.0.2.9")).toMatchObject({ actor: { userId: fox.id, source: "api" } });
    await waitFor(async () => (await call(secret, "192.0.2.8")).actor !== null, 10_000, "the pause to end");
  });
});

describe.each(BACKENDS)("the credentials callback's 429 on %s", (provider) => {
  let cleanup: () => Promise<void>;
  let db: Db;
  const previousUrl = process.env.DATABASE_URL;

  beforeAll(async () => {
    const fresh = await freshDatabase(provider, "auth_throttle_answer");
    db = fresh.db;
    // authorize() uses the process-wide client and throttle (the defaults): point them at this database.
    await closeDb();
    await closeThrottle();
    process.env.DATABASE_URL = fresh.url;
    cleanup = async () => {
      await closeDb();
      await closeThrottle();
      process.env.DATABASE_URL = previousUrl;
      await fresh.cleanup();
    };
  });
  afterAll(async () => cleanup?.());

  it("turns a throttled authorize() into a 429 with Retry-After and the message the form shows", async () => {
    const gus = await makeAccount(db, "gus");
    const credentials = authOptions.providers[0] as CredentialsConfig;
    const attempt = (password: string) =>
      answeringThrottled("http://console.test", async () => {
        const user = await credentials.options.authorize({ email: gus.email, password }, {
          headers: { "x-runops-peer": "192.0.2.20" },
        } as Parameters<CredentialsConfig["authorize"]>[1]);
        // What next-auth answers a refused authorize() with.
        return Response.json({ url: "http://console.test/api/auth/error" }, { status: user ? 200 : 401 });
      });
    const { free, firstPauseSec } = THROTTLE_DEFAULTS.signIn.accountAddress;
    for (let i = 0; i < free; i++) expect((await attempt("wrong password")).status).toBe(401);
    const answer = await attempt(PASSWORD);
    expect(answer.status).toBe(429);
    expect(answer.headers.get("retry-after")).toBe(String(firstPauseSec));
    expect(await answer.json()).toEqual({
      url: "http://console.test/signin?error=Throttled",
      error: {
        code: "throttled",
        message: `Too many failed sign-ins. Try again in ${firstPauseSec} seconds.`,
        details: { retryAfterSec: firstPauseSec },
      },
    });
  });
});
