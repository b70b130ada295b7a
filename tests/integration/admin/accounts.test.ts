import type { CredentialsConfig } from "next-auth/providers/credentials";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { authOptions } from "../../../lib/auth/auth-options";
import { verifyPassword } from "../../../lib/auth/password";
import { closeThrottle } from "../../../lib/auth/throttle";
import { closeDb, type Db } from "../../../lib/db/client";
import { changePassword } from "../../../lib/users/change-password";
import { createFirstAdmin } from "../../../lib/users/create-first-admin";
import { needsFirstStart } from "../../../lib/users/needs-first-start";
import { signUp } from "../../../lib/users/sign-up";
import { updateProfile } from "../../../lib/users/update-profile";
import { BACKENDS, freshDatabase } from "../../support/harness";
import { refusal } from "./support";

const first = {
  name: "Ada",
  email: "Ada@Example.com",
  password: "first admin password",
  confirm: "first admin password",
};

describe.each(BACKENDS)("first start, sign-up, sign-in failures and passwords on %s", (provider) => {
  let db: Db;
  let cleanup: () => Promise<void>;
  const previousUrl = process.env.DATABASE_URL;

  beforeAll(async () => {
    const fresh = await freshDatabase(provider, "admin_accounts");
    db = fresh.db;
    // next-auth's authorize() uses the process-wide client and throttle: point them at this database.
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

  it("creates the first account as instance admin, once", async () => {
    expect(await needsFirstStart(db)).toBe(true);
    const ada = await createFirstAdmin(db, first, { ip: "192.0.2.1" });
    expect(ada).toMatchObject({ email: "ada@example.com", name: "Ada", isAdmin: true });
    expect(await needsFirstStart(db)).toBe(false);
    const event = await db.auditEvent.findFirstOrThrow({ where: { action: "instance.setup" } });
    expect(event).toMatchObject({ projectId: null, actorId: ada.id, ip: "192.0.2.1" });
    expect(await refusal(createFirstAdmin(db, { ...first, email: "eve@example.com" }))).toMatchObject({
      status: 404,
      message: "runops is already set up: sign in with an existing account",
    });
    expect(await db.user.count()).toBe(1);
  });

  it("lets only one of two simultaneous first starts win", async () => {
    const other = await freshDatabase(provider, "admin_accounts_race");
    try {
      const results = await Promise.allSettled([
        createFirstAdmin(other.db, { ...first, email: "one@example.com" }),
        createFirstAdmin(other.db, { ...first, email: "two@example.com" }),
      ]);
      expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
      const rejected = results.find((r) => r.status === "rejected");
      expect(rejected?.status === "rejected" && String(rejected.reason)).toContain("already set up");
      expect(await other.db.user.count()).toBe(1);
    } finally {
      await other.cleanup();
    }
  });

  it("validates a new account's fields", async () => {
    const attempt = await createFirstAdmin(db, {
      name: " ",
      email: "nope",
      password: "short",
      confirm: "other",
    }).catch((e: unknown) => e);
    const issues = (attempt as { issues?: { path: PropertyKey[]; message: string }[] }).issues ?? [];
    expect(Object.fromEntries(issues.map((i) => [String(i.path[0]), i.message]))).toEqual({
      name: "Enter a name",
      email: "Enter a valid email address",
      password: "Use at least 10 characters",
      confirm: "The passwords do not match",
    });
    await expect(
      createFirstAdmin(db, { ...first, confirm: "something else entirely" }),
    ).rejects.toMatchObject({ issues: [expect.objectContaining({ path: ["confirm"] })] });
  });

  it("has self sign-up off unless the instance allows it", async () => {
    const account = {
      name: "Sam",
      email: "sam@example.com",
      password: "sams password",
      confirm: "sams password",
    };
    expect((await refusal(signUp(db, account, { allowed: false }))).status).toBe(404);
    expect(await db.user.count({ where: { email: "sam@example.com" } })).toBe(0);
    const sam = await signUp(db, account, { allowed: true, ip: "192.0.2.9" });
    expect(sam.isAdmin).toBe(false);
    expect(await refusal(signUp(db, account, { allowed: true }))).toMatchObject({
      status: 409,
      details: { field: "email" },
    });
  });

  it("records failed sign-ins instance-wide, with the address, and never a successful one", async () => {
    const provider = authOptions.providers[0] as CredentialsConfig;
    const authorize = (email: string, password: string) =>
      provider.options.authorize({ email, password }, {
        // The console's HTTP server sets the peer header; X-Forwarded-For from a client counts for nothing.
        headers: { "x-runops-peer": "198.51.100.23", "x-forwarded-for": "203.0.113.66" },
      } as Parameters<CredentialsConfig["authorize"]>[1]);
    expect(await authorize("ada@example.com", "wrong password")).toBeNull();
    expect(await authorize("ghost@example.com", "whatever")).toBeNull();
    expect(await authorize("ADA@example.com", first.password)).toMatchObject({
      email: "ada@example.com",
      sessionId: expect.any(String),
    });
    const failures = await db.auditEvent.findMany({
      where: { action: "auth.signin_failed" },
      orderBy: { id: "asc" },
    });
    expect(
      failures.map((f) => [f.actorLabel, f.projectId, f.ip, JSON.parse(f.details ?? "{}").reason]),
    ).toEqual([
      ["ada@example.com", null, "198.51.100.23", "wrong password"],
      ["ghost@example.com", null, "198.51.100.23", "unknown email"],
    ]);
  });

  it("changes a password only with the current one", async () => {
    const ada = await db.user.findUniqueOrThrow({ where: { email: "ada@example.com" } });
    const actor = {
      userId: ada.id,
      email: ada.email,
      name: ada.name,
      source: "console" as const,
      ip: "192.0.2.1",
    };
    expect(
      await refusal(
        changePassword(db, actor, {
          current: "not it",
          password: "a new password",
          confirm: "a new password",
        }),
      ),
    ).toMatchObject({ status: 403, details: { field: "current" } });
    expect(
      await db.auditEvent.count({ where: { action: "user.password_change_failed", actorId: ada.id } }),
    ).toBe(1);
    await expect(
      changePassword(db, actor, {
        current: first.password,
        password: "a new password",
        confirm: "typo password",
      }),
    ).rejects.toMatchObject({ issues: [expect.objectContaining({ path: ["confirm"] })] });

    await changePassword(db, actor, {
      current: first.password,
      password: "a new password",
      confirm: "a new password",
    });
    const after = await db.user.findUniqueOrThrow({ where: { id: ada.id } });
    expect(await verifyPassword("a new password", after.passwordHash)).toBe(true);
    expect(await verifyPassword(first.password, after.passwordHash)).toBe(false);
    expect(await db.auditEvent.count({ where: { action: "user.password_changed", actorId: ada.id } })).toBe(
      1,
    );

    await updateProfile(db, actor, { name: "Ada L." });
    expect((await db.user.findUniqueOrThrow({ where: { id: ada.id } })).name).toBe("Ada L.");
  });
});
