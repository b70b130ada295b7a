import { randomBytes, scryptSync } from "node:crypto";
import { hash } from "@node-rs/argon2";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ARGON2_PARAMS, hashPassword, needsRehash, verifyPassword } from "../../../lib/auth/password";
import { signInWithPassword } from "../../../lib/auth/sign-in-with-password";
import type { Throttle } from "../../../lib/auth/throttle";
import type { Db } from "../../../lib/db/client";
import { BACKENDS, freshDatabase } from "../../support/harness";
import { PASSWORD, makeAccount, openThrottle, signIn } from "./support";

/** A hash as runops stored them before argon2id: `scrypt$<salt>$<key>`, N=16384, r=8, p=1, 32 bytes. */
function legacyScryptHash(password: string) {
  const salt = randomBytes(16);
  const key = scryptSync(password, salt, 32, { N: 16384, r: 8, p: 1 });
  return `scrypt$${salt.toString("base64")}$${key.toString("base64")}`;
}

const CURRENT = `$argon2id$v=19$m=${ARGON2_PARAMS.memoryCost},t=${ARGON2_PARAMS.timeCost},p=${ARGON2_PARAMS.parallelism}$`;

describe("password hashes", () => {
  it("are argon2id PHC strings that carry their parameters", async () => {
    const stored = await hashPassword(PASSWORD);
    expect(stored).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
    expect(stored.startsWith(CURRENT)).toBe(true);
    expect(await hashPassword(PASSWORD)).not.toBe(stored); // salted
    expect(await verifyPassword(PASSWORD, stored)).toBe(true);
    expect(await verifyPassword("not it", stored)).toBe(false);
    expect(needsRehash(stored)).toBe(false);
  });

  it("verify legacy scrypt hashes and weaker argon2 ones, which need a rehash", async () => {
    const legacy = legacyScryptHash(PASSWORD);
    expect(await verifyPassword(PASSWORD, legacy)).toBe(true);
    expect(await verifyPassword("not it", legacy)).toBe(false);
    expect(needsRehash(legacy)).toBe(true);
    const weak = await hash(PASSWORD, { memoryCost: 4096, timeCost: 1, parallelism: 1 });
    expect(await verifyPassword(PASSWORD, weak)).toBe(true);
    expect(needsRehash(weak)).toBe(true);
  });

  it("never match (nor throw on) what is not a hash", async () => {
    for (const stored of ["", "scrypt$", "scrypt$c2FsdA==$a2V5", "$argon2id$v=19$garbage", "$2b$10$bcrypt"]) {
      expect(await verifyPassword(PASSWORD, stored)).toBe(false);
    }
  });
});

describe.each(BACKENDS)("signing in with a password on %s", (provider) => {
  let db: Db;
  let throttle: Throttle;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    const fresh = await freshDatabase(provider, "auth_sign_in");
    db = fresh.db;
    throttle = openThrottle(fresh.url);
    cleanup = async () => {
      await throttle.close();
      await fresh.cleanup();
    };
  });
  afterAll(async () => cleanup?.());

  it("verifies an unknown email against a dummy hash of the current algorithm, like a known one", async () => {
    const ann = await makeAccount(db, "ann");
    const seen: string[] = [];
    const watching = async (password: string, stored: string) => {
      seen.push(stored);
      return verifyPassword(password, stored);
    };
    const attempt = (email: string) =>
      signInWithPassword(
        db,
        throttle,
        { email, password: "wrong password" },
        { ip: "192.0.2.30", userAgent: null },
        watching,
      );

    expect(await attempt(ann.email)).toEqual({ ok: false, reason: "invalid" });
    expect(await attempt("nobody@test.dev")).toEqual({ ok: false, reason: "invalid" });
    expect(seen).toHaveLength(2);
    expect(seen[0]).toBe(ann.passwordHash);
    // The same work as for a real account: an argon2id hash with today's parameters, no account's.
    expect(seen[1]?.startsWith(CURRENT)).toBe(true);
    expect(await db.user.count({ where: { passwordHash: seen[1] } })).toBe(0);

    const failures = await db.auditEvent.findMany({
      where: { action: "auth.signin_failed", ip: "192.0.2.30" },
      orderBy: { id: "asc" },
    });
    expect(failures.map((f) => JSON.parse(f.details ?? "{}").reason)).toEqual([
      "wrong password",
      "unknown email",
    ]);
  });

  it("refuses malformed input without throwing", async () => {
    const from = { ip: "192.0.2.31", userAgent: null };
    for (const raw of [
      null,
      "email=x",
      {},
      { email: 42, password: PASSWORD },
      { email: "not an email", password: PASSWORD },
      { email: `${"a".repeat(300)}@test.dev`, password: PASSWORD },
      { email: "ann@test.dev", password: "" },
      { email: "ann@test.dev", password: "x".repeat(5000) },
    ]) {
      expect(await signInWithPassword(db, throttle, raw, from)).toEqual({ ok: false, reason: "invalid" });
    }
  });

  it("re-hashes a legacy scrypt hash with argon2id at the next successful sign-in", async () => {
    const old = legacyScryptHash(PASSWORD);
    const bea = await makeAccount(db, "bea", { passwordHash: old });

    expect(await signIn(db, throttle, bea.email, "wrong password")).toEqual({ ok: false, reason: "invalid" });
    expect((await db.user.findUniqueOrThrow({ where: { id: bea.id } })).passwordHash).toBe(old);

    expect(await signIn(db, throttle, bea.email, PASSWORD)).toMatchObject({ ok: true });
    const upgraded = (await db.user.findUniqueOrThrow({ where: { id: bea.id } })).passwordHash;
    expect(upgraded.startsWith(CURRENT)).toBe(true);
    expect(await verifyPassword(PASSWORD, upgraded)).toBe(true);

    // Current hashes are left alone.
    expect(await signIn(db, throttle, bea.email, PASSWORD)).toMatchObject({ ok: true });
    expect((await db.user.findUniqueOrThrow({ where: { id: bea.id } })).passwordHash).toBe(upgraded);
  });
});
