import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "../../../lib/access/actor";
import type { Db } from "../../../lib/db/client";
import { refreshEnvironment } from "../../../lib/deployments/refresh-environment";
import { createEnvironment } from "../../../lib/environments/create-environment";
import { deleteEnvironment } from "../../../lib/environments/delete-environment";
import { pauseEnvironment } from "../../../lib/environments/pause-environment";
import { resumeEnvironment } from "../../../lib/environments/resume-environment";
import { newId } from "../../../lib/ids";
import { createInvitation } from "../../../lib/invitations/create-invitation";
import { revokeInvitation } from "../../../lib/invitations/revoke-invitation";
import { addMember } from "../../../lib/members/add-member";
import { changeMemberRoles } from "../../../lib/members/change-member-roles";
import { removeMember } from "../../../lib/members/remove-member";
import { createProject } from "../../../lib/projects/create-project";
import { renameProject } from "../../../lib/projects/rename-project";
import { BACKENDS, type Fixture, freshDatabase, seedFixture } from "../../support/harness";
import { ADMIN_CONFIG, cast, makeTarget, makeUser, refusal } from "./support";

type Cast = Awaited<ReturnType<typeof cast>>;
type Role = keyof Cast;

/** Who is refused how on a project admin's use case (decision 0003: 404 outside, 403 inside). */
const REFUSED: { role: Role; status: 403 | 404 }[] = [
  { role: "envAdmin", status: 403 },
  { role: "contributor", status: 403 },
  { role: "viewer", status: 403 },
  { role: "outsider", status: 404 },
  // Administering the instance does not open projects one is not a member of.
  { role: "instanceAdmin", status: 404 },
];

describe.each(BACKENDS)("authorization of every admin use case on %s", (provider) => {
  let db: Db;
  let fx: Fixture;
  let who: Cast;
  let target: ReturnType<typeof makeTarget>;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    const fresh = await freshDatabase(provider, "admin_authz");
    db = fresh.db;
    fx = await seedFixture(db, ADMIN_CONFIG);
    who = await cast(db, fx);
    target = makeTarget();
    cleanup = async () => {
      target.cleanup();
      fx.cleanup();
      await fresh.cleanup();
    };
  });
  afterAll(async () => cleanup?.());

  /** Runs `attempt` as each refused role: the answer, the audit trail, and that nothing changed. */
  async function expectRefusedForNonAdmins(
    attempt: (actor: Actor) => Promise<unknown>,
    snapshot: () => Promise<unknown>,
  ) {
    const before = await snapshot();
    for (const { role, status } of REFUSED) {
      const actor = who[role];
      const deniedBefore = await db.auditEvent.count({
        where: { action: "access.denied", actorId: actor.userId },
      });
      const answer = await refusal(attempt(actor));
      expect({ role, status: answer.status }).toEqual({ role, status });
      const denied = await db.auditEvent.findMany({
        where: { action: "access.denied", actorId: actor.userId },
        orderBy: { id: "asc" },
      });
      if (status === 403) {
        expect(answer.message).toBe("Not allowed: requires project admin");
        expect(denied).toHaveLength(deniedBefore + 1);
        const event = denied[denied.length - 1];
        expect(event).toMatchObject({ projectId: fx.project.id, actorLabel: actor.email, ip: "203.0.113.7" });
        expect(JSON.parse(event?.details ?? "{}")).toMatchObject({ attempted: { kind: "admin-project" } });
      } else {
        // Outside the project: indistinguishable from a project that does not exist, and not logged in it.
        expect(denied).toHaveLength(deniedBefore);
      }
    }
    expect(await snapshot()).toEqual(before);
  }

  it("renameProject", async () => {
    const input = { projectId: fx.project.id, name: "Renamed by someone" };
    const name = async () => (await db.project.findUniqueOrThrow({ where: { id: fx.project.id } })).name;
    await expectRefusedForNonAdmins((a) => renameProject(db, a, input), name);
    await renameProject(db, who.projectAdmin, { ...input, name: "Renamed by its admin" });
    expect(await name()).toBe("Renamed by its admin");
  });

  it("createEnvironment", async () => {
    const input = {
      projectId: fx.project.id,
      name: "made-here",
      type: "staging" as const,
      targetPath: target.dir,
    };
    const count = () => db.environment.count({ where: { projectId: fx.project.id } });
    await expectRefusedForNonAdmins((a) => createEnvironment(db, a, input), count);
    const { environment, deploy } = await createEnvironment(db, who.projectAdmin, input);
    expect(environment.name).toBe("made-here");
    expect(deploy.ok).toBe(true);
  });

  it("pauseEnvironment, resumeEnvironment and refreshEnvironment", async () => {
    const env = () => db.environment.findUniqueOrThrow({ where: { id: fx.env.id } });
    const state = async () => {
      const e = await env();
      return { status: e.status, deployment: e.currentDeploymentId, attempts: await db.deployment.count() };
    };
    await expectRefusedForNonAdmins((a) => pauseEnvironment(db, a, fx.env.id), state);
    await pauseEnvironment(db, who.projectAdmin, fx.env.id);
    expect((await env()).status).toBe("paused");
    await expectRefusedForNonAdmins((a) => resumeEnvironment(db, a, fx.env.id), state);
    await resumeEnvironment(db, who.projectAdmin, fx.env.id);
    expect((await env()).status).toBe("active");
    await expectRefusedForNonAdmins((a) => refreshEnvironment(db, a, fx.env.id), state);
    await expect(refreshEnvironment(db, who.projectAdmin, fx.env.id)).resolves.toMatchObject({ ok: true });
  });

  it("deleteEnvironment", async () => {
    const { environment } = await createEnvironment(db, who.projectAdmin, {
      projectId: fx.project.id,
      name: "to-delete",
      type: "development",
      targetPath: target.dir,
    });
    const state = async () =>
      (await db.environment.findUniqueOrThrow({ where: { id: environment.id } })).deletedAt;
    await expectRefusedForNonAdmins((a) => deleteEnvironment(db, a, environment.id), state);
    await deleteEnvironment(db, who.projectAdmin, environment.id);
    expect(await state()).not.toBeNull();
  });

  it("addMember, changeMemberRoles and removeMember", async () => {
    const newcomer = await makeUser(db, "newcomer");
    const memberOf = (userId: string) =>
      db.membership.findUnique({ where: { projectId_userId: { projectId: fx.project.id, userId } } });
    const add = { projectId: fx.project.id, email: newcomer.email, projectRole: "viewer" as const };
    await expectRefusedForNonAdmins(
      (a) => addMember(db, a, add),
      () => memberOf(newcomer.userId),
    );
    await addMember(db, who.projectAdmin, add);
    const membership = await memberOf(newcomer.userId);
    expect(membership).toMatchObject({ projectRole: "viewer", productionRole: null });

    const change = {
      projectId: fx.project.id,
      memberId: membership?.id ?? "",
      projectRole: "viewer" as const,
      stagingRole: "contributor" as const,
    };
    await expectRefusedForNonAdmins(
      (a) => changeMemberRoles(db, a, change),
      () => memberOf(newcomer.userId),
    );
    await changeMemberRoles(db, who.projectAdmin, change);
    expect(await memberOf(newcomer.userId)).toMatchObject({ stagingRole: "contributor" });

    const remove = { projectId: fx.project.id, memberId: membership?.id ?? "" };
    await expectRefusedForNonAdmins(
      (a) => removeMember(db, a, remove),
      () => memberOf(newcomer.userId),
    );
    await removeMember(db, who.projectAdmin, remove);
    expect(await memberOf(newcomer.userId)).toBeNull();
  });

  it("createInvitation and revokeInvitation", async () => {
    const input = {
      projectId: fx.project.id,
      projectRole: "viewer" as const,
      developmentRole: "viewer" as const,
    };
    const count = () => db.invitation.count({ where: { projectId: fx.project.id } });
    await expectRefusedForNonAdmins((a) => createInvitation(db, a, input), count);
    const { invitation } = await createInvitation(db, who.projectAdmin, input);
    const revoke = { projectId: fx.project.id, invitationId: invitation.id };
    await expectRefusedForNonAdmins((a) => revokeInvitation(db, a, revoke), count);
    await revokeInvitation(db, who.projectAdmin, revoke);
    expect(await db.invitation.findUnique({ where: { id: invitation.id } })).toBeNull();
  });

  it("ids from another project are not found, even for an admin of this one", async () => {
    const other = await createProject(db, who.instanceAdmin, { name: "Other", slug: `o${newId()}` });
    const otherMember = await db.membership.findFirstOrThrow({ where: { projectId: other.id } });
    // Right project id, wrong member id: the member of the other project is untouched.
    const answer = await refusal(
      removeMember(db, who.projectAdmin, { projectId: fx.project.id, memberId: otherMember.id }),
    );
    expect(answer.status).toBe(404);
    expect(await db.membership.findUnique({ where: { id: otherMember.id } })).not.toBeNull();
  });

  it("createProject: instance admins only; everyone else is refused and audited instance-wide", async () => {
    for (const role of ["projectAdmin", "envAdmin", "contributor", "viewer", "outsider"] as const) {
      const actor = who[role];
      const slug = `s${newId()}`;
      const answer = await refusal(createProject(db, actor, { name: "Nope", slug }));
      expect({ role, ...answer }).toMatchObject({
        role,
        status: 403,
        message: "Not allowed: requires instance admin",
      });
      expect(await db.project.findUnique({ where: { slug } })).toBeNull();
      const denied = await db.auditEvent.findFirstOrThrow({
        where: { action: "access.denied", actorId: actor.userId, projectId: null },
        orderBy: { id: "desc" },
      });
      expect(denied.target).toBe("project creation");
    }
    const slug = `p${newId()}`;
    const project = await createProject(db, who.instanceAdmin, { name: "Mine", slug });
    expect(await db.membership.findFirst({ where: { projectId: project.id } })).toMatchObject({
      userId: who.instanceAdmin.userId,
      projectRole: "admin",
    });
  });
});
