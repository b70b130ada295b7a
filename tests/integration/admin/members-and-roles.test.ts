import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadAccess } from "../../../lib/access/access";
import type { Db } from "../../../lib/db/client";
import { newId } from "../../../lib/ids";
import { addMember } from "../../../lib/members/add-member";
import { changeMemberRoles } from "../../../lib/members/change-member-roles";
import { listMembers } from "../../../lib/members/list-members";
import { removeMember } from "../../../lib/members/remove-member";
import { getProject } from "../../../lib/projects/get-project";
import { startRun } from "../../../lib/runs/start-run";
import { BACKENDS, type Fixture, freshDatabase, seedFixture } from "../../support/harness";
import { ADMIN_CONFIG, makeUser, refusal } from "./support";

describe.each(BACKENDS)("members and roles on %s", (provider) => {
  let db: Db;
  let fx: Fixture;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    const fresh = await freshDatabase(provider, "admin_members");
    db = fresh.db;
    fx = await seedFixture(db, ADMIN_CONFIG);
    cleanup = async () => {
      fx.cleanup();
      await fresh.cleanup();
    };
  });
  afterAll(async () => cleanup?.());

  const membershipOf = (userId: string) =>
    db.membership.findUniqueOrThrow({ where: { projectId_userId: { projectId: fx.project.id, userId } } });

  it("adds an existing user by email with one role per environment type, and audits it", async () => {
    const dana = await makeUser(db, "dana");
    await addMember(db, fx.admin, {
      projectId: fx.project.id,
      email: `  ${dana.email.toUpperCase()} `,
      projectRole: "viewer",
      developmentRole: "contributor",
      stagingRole: "viewer",
      productionRole: "none",
    });
    expect(await membershipOf(dana.userId)).toMatchObject({
      projectRole: "viewer",
      developmentRole: "contributor",
      stagingRole: "viewer",
      productionRole: null,
    });
    const event = await db.auditEvent.findFirstOrThrow({
      where: { action: "member.added", target: dana.email },
    });
    expect(event.actorLabel).toBe(fx.admin.email);
    expect(JSON.parse(event.details ?? "{}")).toEqual({
      roles: "viewer (staging:viewer, development:contributor)",
    });
    const listed = (await listMembers(db, fx.viewer, fx.project.id)).find((m) => m.email === dana.email);
    expect(listed?.roles).toEqual({
      projectRole: "viewer",
      environmentRoles: { staging: "viewer", development: "contributor" },
    });
  });

  it("says what to do for an unknown email or an existing member (as field errors)", async () => {
    expect(
      await refusal(
        addMember(db, fx.admin, {
          projectId: fx.project.id,
          email: "nobody@test.dev",
          projectRole: "viewer",
        }),
      ),
    ).toMatchObject({
      status: 404,
      message: "No account uses nobody@test.dev: create an invitation link for them instead",
      details: { field: "email" },
    });
    expect(
      await refusal(
        addMember(db, fx.admin, { projectId: fx.project.id, email: fx.viewer.email, projectRole: "viewer" }),
      ),
    ).toMatchObject({ status: 409, details: { field: "email" } });
  });

  it("applies a role change on the member's very next request", async () => {
    const erin = await makeUser(db, "erin");
    await addMember(db, fx.admin, { projectId: fx.project.id, email: erin.email, projectRole: "viewer" });
    const trigger = (operation: string) =>
      startRun(db, erin, { environmentId: fx.env.id, app: "web", operation });
    // No role on development environments: the environment does not exist for her.
    expect((await refusal(trigger("hello"))).status).toBe(404);
    expect((await getProject(db, erin, fx.project.slug)).environments).toEqual([]);

    const { id: memberId } = await membershipOf(erin.userId);
    await changeMemberRoles(db, fx.admin, {
      projectId: fx.project.id,
      memberId,
      projectRole: "viewer",
      developmentRole: "viewer",
    });
    await expect(trigger("hello")).resolves.toMatchObject({ state: "pending" });
    expect(await refusal(trigger("wait"))).toMatchObject({
      status: 403,
      message: "Not allowed: requires contributor",
    });

    await changeMemberRoles(db, fx.admin, { projectId: fx.project.id, memberId, projectRole: "admin" });
    await expect(trigger("purge")).resolves.toMatchObject({ role: "admin" });
    const changed = await db.auditEvent.findMany({
      where: { action: "member.role_changed", target: erin.email },
      orderBy: { id: "asc" },
    });
    expect(changed.map((e) => JSON.parse(e.details ?? "{}"))).toEqual([
      { from: "viewer (no environment access)", to: "viewer (development:viewer)" },
      { from: "viewer (development:viewer)", to: "admin" },
    ]);

    await removeMember(db, fx.admin, { projectId: fx.project.id, memberId });
    expect((await refusal(trigger("hello"))).status).toBe(404);
    expect((await refusal(getProject(db, erin, fx.project.slug))).status).toBe(404);
  });

  it("never lets the last project admin be demoted or removed", async () => {
    const project = await db.project.create({ data: { id: newId(), slug: `solo${newId()}`, name: "Solo" } });
    const solo = await makeUser(db, "solo");
    const only = await db.membership.create({
      data: { id: newId(), projectId: project.id, userId: solo.userId, projectRole: "admin" },
    });
    const demote = () =>
      changeMemberRoles(db, solo, { projectId: project.id, memberId: only.id, projectRole: "viewer" });
    const remove = () => removeMember(db, solo, { projectId: project.id, memberId: only.id });
    expect(await refusal(demote())).toEqual({
      status: 409,
      message:
        "This member is the project's last admin: make another member admin before changing their role",
      details: undefined,
    });
    expect(await refusal(remove())).toMatchObject({
      status: 409,
      message: "This member is the project's last admin: make another member admin before removing them",
    });
    expect(await db.membership.findUniqueOrThrow({ where: { id: only.id } })).toMatchObject({
      projectRole: "admin",
    });

    // With a second admin, the first may step down (or leave).
    const second = await makeUser(db, "second");
    await addMember(db, solo, { projectId: project.id, email: second.email, projectRole: "admin" });
    await demote();
    expect((await db.membership.findUniqueOrThrow({ where: { id: only.id } })).projectRole).toBe("viewer");
    // Now `second` is the last admin and cannot remove themselves.
    const secondMember = await db.membership.findFirstOrThrow({
      where: { projectId: project.id, userId: second.userId },
    });
    expect(
      (await refusal(removeMember(db, second, { projectId: project.id, memberId: secondMember.id }))).status,
    ).toBe(409);
  });

  it("keeps one admin when two admins demote each other at the same moment", async () => {
    for (let round = 0; round < 5; round++) {
      const project = await db.project.create({ data: { id: newId(), slug: `duo${newId()}`, name: "Duo" } });
      const [a, b] = [await makeUser(db, "a"), await makeUser(db, "b")];
      const [ma, mb] = [
        await db.membership.create({
          data: { id: newId(), projectId: project.id, userId: a.userId, projectRole: "admin" },
        }),
        await db.membership.create({
          data: { id: newId(), projectId: project.id, userId: b.userId, projectRole: "admin" },
        }),
      ];
      const results = await Promise.allSettled([
        changeMemberRoles(db, a, { projectId: project.id, memberId: mb.id, projectRole: "viewer" }),
        removeMember(db, b, { projectId: project.id, memberId: ma.id }),
      ]);
      expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
      expect(await db.membership.count({ where: { projectId: project.id, projectRole: "admin" } })).toBe(1);
      const authorized = await Promise.all(
        [a, b].map((u) => loadAccess(db, u, project.id).then((a) => a.can({ kind: "admin-project" }))),
      );
      expect(authorized.filter((d) => d.allowed)).toHaveLength(1);
    }
  });
});
