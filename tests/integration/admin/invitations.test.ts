import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyPassword } from "../../../lib/auth/password";
import type { Db } from "../../../lib/db/client";
import { acceptInvitation } from "../../../lib/invitations/accept-invitation";
import { acceptInvitationWithAccount } from "../../../lib/invitations/accept-invitation-with-account";
import { createInvitation } from "../../../lib/invitations/create-invitation";
import { findInvitation } from "../../../lib/invitations/find-invitation";
import { listPendingInvitations } from "../../../lib/invitations/list-invitations";
import { revokeInvitation } from "../../../lib/invitations/revoke-invitation";
import { BACKENDS, type Fixture, freshDatabase, seedFixture } from "../../support/harness";
import { ADMIN_CONFIG, makeUser, refusal } from "./support";

describe.each(BACKENDS)("invitation links on %s", (provider) => {
  let db: Db;
  let fx: Fixture;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    const fresh = await freshDatabase(provider, "admin_invites");
    db = fresh.db;
    fx = await seedFixture(db, ADMIN_CONFIG);
    cleanup = async () => {
      fx.cleanup();
      await fresh.cleanup();
    };
  });
  afterAll(async () => cleanup?.());

  const invite = (extra: Record<string, unknown> = {}) =>
    createInvitation(db, fx.admin, {
      projectId: fx.project.id,
      projectRole: "viewer",
      stagingRole: "viewer",
      developmentRole: "contributor",
      ...extra,
    });

  it("stores only the token's hash, and lists the invitation as pending for admins", async () => {
    const { token, invitation } = await invite({ expiresInDays: "3" });
    expect(token).toMatch(/^inv_[A-Za-z0-9_-]{43}$/);
    const row = await db.invitation.findUniqueOrThrow({ where: { id: invitation.id } });
    expect(row.tokenHash).toBe(createHash("sha256").update(token).digest("hex"));
    expect(JSON.stringify(row)).not.toContain(token.slice(4));
    const days = (row.expiresAt.getTime() - row.createdAt.getTime()) / 86_400_000;
    expect(days).toBeCloseTo(3, 1);
    const pending = await listPendingInvitations(db, fx.admin, fx.project.id);
    expect(pending.find((p) => p.id === invitation.id)).toMatchObject({
      email: null,
      roles: "viewer (staging:viewer, development:contributor)",
      createdBy: fx.admin.email,
    });
    expect(await listPendingInvitations(db, fx.viewer, fx.project.id)).toEqual([]);
    const created = await db.auditEvent.findFirstOrThrow({ where: { action: "invitation.created" } });
    expect(created.details).not.toContain(token);
  });

  it("makes a signed-in user a member with its roles, exactly once", async () => {
    const { token } = await invite();
    const frank = await makeUser(db, "frank");
    await acceptInvitation(db, frank, token);
    const m = await db.membership.findUniqueOrThrow({
      where: { projectId_userId: { projectId: fx.project.id, userId: frank.userId } },
    });
    expect(m).toMatchObject({
      projectRole: "viewer",
      productionRole: null,
      stagingRole: "viewer",
      developmentRole: "contributor",
    });
    const added = await db.auditEvent.findFirstOrThrow({
      where: { action: "member.added", target: frank.email },
    });
    expect(JSON.parse(added.details ?? "{}")).toMatchObject({ via: "invitation" });

    const gina = await makeUser(db, "gina");
    expect(await refusal(acceptInvitation(db, gina, token))).toMatchObject({
      status: 409,
      message: "This invitation link has already been used",
    });
    expect((await findInvitation(db, token))?.state).toBe("used");
  });

  it("lets one of two simultaneous acceptances win", async () => {
    const { token } = await invite();
    const [h, i] = [await makeUser(db, "h"), await makeUser(db, "i")];
    const results = await Promise.allSettled([
      acceptInvitation(db, h, token),
      acceptInvitation(db, i, token),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const joined = await db.membership.count({
      where: { projectId: fx.project.id, userId: { in: [h.userId, i.userId] } },
    });
    expect(joined).toBe(1);
  });

  it("refuses unknown, expired and revoked links, and another account than the one invited", async () => {
    const judy = await makeUser(db, "judy");
    expect((await refusal(acceptInvitation(db, judy, "inv_" + "x".repeat(43)))).status).toBe(404);
    expect((await refusal(acceptInvitation(db, judy, "not-a-token"))).status).toBe(404);

    const expired = await invite();
    await db.invitation.update({
      where: { id: expired.invitation.id },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    expect(await refusal(acceptInvitation(db, judy, expired.token))).toMatchObject({ status: 409 });
    expect((await findInvitation(db, expired.token))?.state).toBe("expired");

    const revoked = await invite();
    await revokeInvitation(db, fx.admin, { projectId: fx.project.id, invitationId: revoked.invitation.id });
    expect((await refusal(acceptInvitation(db, judy, revoked.token))).status).toBe(404);

    const forKim = await invite({ email: "Kim@Test.dev" });
    expect(await refusal(acceptInvitation(db, judy, forKim.token))).toMatchObject({
      status: 403,
      message: "This invitation is for kim@test.dev: sign in with that account to accept it",
    });
    const denied = await db.auditEvent.findFirstOrThrow({
      where: { action: "access.denied", actorId: judy.userId },
    });
    expect(denied).toMatchObject({ projectId: fx.project.id, target: "invitation" });
    expect((await findInvitation(db, forKim.token))?.state).toBe("valid");
    expect(await db.membership.count({ where: { userId: judy.userId } })).toBe(0);
  });

  it("creates the account and the membership together for someone new (sign-up off or not)", async () => {
    const { token } = await invite({ email: "lee@test.dev" });
    expect(
      await refusal(
        acceptInvitationWithAccount(db, token, {
          name: "Lee",
          email: "someone-else@test.dev",
          password: "long enough password",
          confirm: "long enough password",
        }),
      ),
    ).toMatchObject({ status: 403, details: { field: "email" } });
    expect(await db.user.count({ where: { email: "someone-else@test.dev" } })).toBe(0);

    await acceptInvitationWithAccount(
      db,
      token,
      {
        name: "Lee",
        email: "LEE@test.dev",
        password: "long enough password",
        confirm: "long enough password",
      },
      { ip: "198.51.100.4" },
    );
    const lee = await db.user.findUniqueOrThrow({ where: { email: "lee@test.dev" } });
    expect(lee.isAdmin).toBe(false);
    expect(await verifyPassword("long enough password", lee.passwordHash)).toBe(true);
    expect(
      await db.membership.findUniqueOrThrow({
        where: { projectId_userId: { projectId: fx.project.id, userId: lee.id } },
      }),
    ).toMatchObject({ developmentRole: "contributor" });
    const signedUp = await db.auditEvent.findFirstOrThrow({
      where: { action: "user.signed_up", actorId: lee.id },
    });
    expect(signedUp).toMatchObject({ projectId: null, ip: "198.51.100.4" });
  });

  it("rolls the account back when the invitation cannot be used", async () => {
    const { token, invitation } = await invite();
    await db.invitation.update({ where: { id: invitation.id }, data: { acceptedAt: new Date() } });
    const account = {
      name: "Max",
      email: "max@test.dev",
      password: "long enough password",
      confirm: "long enough password",
    };
    expect((await refusal(acceptInvitationWithAccount(db, token, account))).status).toBe(409);
    expect(await db.user.count({ where: { email: "max@test.dev" } })).toBe(0);
    // An email already taken is a field error, not a second account.
    const fresh = await invite();
    expect(
      await refusal(acceptInvitationWithAccount(db, fresh.token, { ...account, email: fx.viewer.email })),
    ).toMatchObject({ status: 409, details: { field: "email" } });
  });
});
