import { writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../../lib/db/client";
import { refreshEnvironment } from "../../../lib/deployments/refresh-environment";
import { createEnvironment } from "../../../lib/environments/create-environment";
import { deleteEnvironment } from "../../../lib/environments/delete-environment";
import { createEnvironmentInput } from "../../../lib/environments/environment-input";
import { getDeletedEnvironment } from "../../../lib/environments/get-deleted-environment";
import { getEnvironment } from "../../../lib/environments/get-environment";
import { listEnvironmentSettings } from "../../../lib/environments/list-environment-settings";
import { pauseEnvironment } from "../../../lib/environments/pause-environment";
import { resumeEnvironment } from "../../../lib/environments/resume-environment";
import { getProject } from "../../../lib/projects/get-project";
import { cancelRun } from "../../../lib/runs/cancel-run";
import { getRun } from "../../../lib/runs/get-run";
import { listRuns } from "../../../lib/runs/list-runs";
import { startRun } from "../../../lib/runs/start-run";
import { BACKENDS, type Fixture, freshDatabase, seedFixture } from "../../support/harness";
import { ADMIN_CONFIG, makeTarget, refusal } from "./support";

describe.each(BACKENDS)("environments on %s", (provider) => {
  let db: Db;
  let fx: Fixture;
  let target: ReturnType<typeof makeTarget>;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    const fresh = await freshDatabase(provider, "admin_envs");
    db = fresh.db;
    fx = await seedFixture(db, ADMIN_CONFIG);
    target = makeTarget();
    cleanup = async () => {
      target.cleanup();
      fx.cleanup();
      await fresh.cleanup();
    };
  });
  afterAll(async () => cleanup?.());

  const create = (name: string, targetPath = target.dir, type: "staging" | "development" = "staging") =>
    createEnvironment(db, fx.admin, { projectId: fx.project.id, name, type, targetPath });

  it("adds an environment and deploys it at once, listing the operations found", async () => {
    const { environment, deploy } = await create("staging-2");
    expect(environment).toMatchObject({
      type: "staging",
      status: "active",
      targetKind: "local",
      targetHost: null,
    });
    expect(deploy.ok && deploy.config.operations.map((o) => `${o.name}:${o.role}`)).toEqual([
      "hello:viewer",
      "wait:contributor",
      "purge:admin",
    ]);
    const actions = await db.auditEvent.findMany({
      where: { projectId: fx.project.id, target: "staging-2" },
      orderBy: { id: "asc" },
    });
    expect(actions.map((e) => e.action)).toEqual(["environment.created", "environment.deployed"]);
    // The viewer (viewer on every type) sees it; the contributor (no staging role) does not.
    expect((await getProject(db, fx.viewer, fx.project.slug)).environments.map((e) => e.name)).toContain(
      "staging-2",
    );
    expect(
      (await getProject(db, fx.contributor, fx.project.slug)).environments.map((e) => e.name),
    ).not.toContain("staging-2");
  });

  it("keeps an environment whose config is refused, showing file:line:col, and deploys it once fixed", async () => {
    const broken = makeTarget(ADMIN_CONFIG.replace("role: viewer", "role: owner"));
    try {
      const { environment, deploy } = await create("broken", broken.dir);
      expect(deploy.ok).toBe(false);
      if (!deploy.ok) {
        expect(deploy.error).toBe(
          '.upsun/config.yaml:8:15 applications.web.operations.hello.role: expected viewer, contributor or admin, got "owner"',
        );
      }
      expect(environment.currentDeploymentId).toBeNull();
      const refused = await db.auditEvent.findFirstOrThrow({
        where: { action: "environment.deploy_refused", target: "broken" },
      });
      expect(JSON.parse(refused.details ?? "{}").error).toContain(".upsun/config.yaml:8:15");
      const settings = await listEnvironmentSettings(db, fx.admin, fx.project.id);
      expect(settings.live.find((e) => e.name === "broken")).toMatchObject({
        deployedAt: null,
        operationCount: null,
        refused: { error: expect.stringContaining('got "owner"') },
      });

      writeFileSync(path.join(broken.dir, ".upsun", "config.yaml"), ADMIN_CONFIG);
      const fixed = await refreshEnvironment(db, fx.admin, environment.id);
      expect(fixed.ok).toBe(true);
      expect(await db.auditEvent.count({ where: { action: "environment.deployed", target: "broken" } })).toBe(
        1,
      );
    } finally {
      broken.cleanup();
    }
  });

  it("validates names, types and targets, and refuses a taken name", async () => {
    const parse = (input: Record<string, string>) =>
      createEnvironmentInput.safeParse({
        projectId: "p",
        name: "ok",
        type: "staging",
        targetPath: "/srv",
        ...input,
      });
    expect(parse({}).success).toBe(true);
    expect(parse({ name: "Feature X" }).error?.issues[0]?.message).toBe(
      "Use lower-case letters, digits and inner hyphens",
    );
    expect(parse({ type: "qa" }).success).toBe(false);
    expect(parse({ targetPath: "relative/dir" }).error?.issues[0]?.message).toBe(
      "Use an absolute path, e.g. /srv/shop",
    );
    expect(parse({ targetKind: "ssh" }).error?.issues[0]).toMatchObject({
      path: ["targetHost"],
      message: "Enter user@host or user@host:port",
    });
    expect(parse({ targetKind: "ssh", targetHost: "root@host;rm -rf /" }).success).toBe(false);
    expect(parse({ targetKind: "ssh", targetHost: "deploy@App1.example.com" }).data?.targetHost).toBe(
      "deploy@App1.example.com:22",
    );
    expect(parse({ targetKind: "ssh", targetHost: "deploy@[::1]:2222" }).data?.targetHost).toBe(
      "deploy@[::1]:2222",
    );
    expect(parse({ pool: "" }).data?.pool).toBeUndefined();
    expect(parse({ pool: "Eu-West" }).data?.pool).toBe("eu-west");
    expect(parse({ targetPath: "/srv/shop/" }).data?.targetPath).toBe("/srv/shop");
    expect(await refusal(create("feature-x"))).toMatchObject({ status: 409, details: { field: "name" } });
  });

  it("pauses (runs refused with the reason) and resumes, audited once per change", async () => {
    await pauseEnvironment(db, fx.admin, fx.env.id);
    await pauseEnvironment(db, fx.admin, fx.env.id);
    const trigger = () =>
      startRun(db, fx.contributor, { environmentId: fx.env.id, app: "web", operation: "hello" });
    expect(await refusal(trigger())).toMatchObject({
      status: 409,
      message: "environment feature-x is paused: runs are refused",
    });
    const view = await getEnvironment(db, fx.contributor, fx.project.slug, "feature-x");
    expect(view.operations.find((o) => o.name === "hello")).toMatchObject({
      allowed: false,
      reason: "environment is paused",
    });
    await resumeEnvironment(db, fx.admin, fx.env.id);
    await expect(trigger()).resolves.toMatchObject({ state: "pending" });
    const changes = await db.auditEvent.findMany({
      where: { target: "feature-x", action: { startsWith: "environment." } },
      orderBy: { id: "asc" },
    });
    expect(changes.map((e) => e.action)).toEqual(["environment.paused", "environment.resumed"]);
  });

  it("refuses to delete while runs are active; then soft-deletes, freeing the name and keeping the history", async () => {
    const { environment } = await create("doomed", target.dir, "development");
    const run = await startRun(db, fx.contributor, {
      environmentId: environment.id,
      app: "web",
      operation: "wait",
    });
    expect(await refusal(deleteEnvironment(db, fx.admin, environment.id))).toMatchObject({
      status: 409,
      message: "1 run is pending or in progress on doomed: cancel it or wait for the end, then delete",
    });
    expect((await db.environment.findUniqueOrThrow({ where: { id: environment.id } })).deletedAt).toBeNull();

    await cancelRun(db, fx.contributor, run.id);
    await deleteEnvironment(db, fx.admin, environment.id);
    const row = await db.environment.findUniqueOrThrow({ where: { id: environment.id } });
    expect(row.deletedAt).not.toBeNull();
    expect(row.name).toBe(`doomed~${environment.id}`);
    const event = await db.auditEvent.findFirstOrThrow({
      where: { action: "environment.deleted", target: "doomed" },
    });
    expect(JSON.parse(event.details ?? "{}")).toMatchObject({ runsKept: 1 });

    // Gone for everyone's everyday views...
    expect((await getProject(db, fx.admin, fx.project.slug)).environments.map((e) => e.name)).not.toContain(
      "doomed",
    );
    expect((await refusal(getEnvironment(db, fx.admin, fx.project.slug, "doomed"))).status).toBe(404);
    expect(
      (
        await refusal(
          startRun(db, fx.admin, { environmentId: environment.id, app: "web", operation: "hello" }),
        )
      ).status,
    ).toBe(404);
    expect((await refusal(pauseEnvironment(db, fx.admin, environment.id))).status).toBe(404);
    expect((await refusal(refreshEnvironment(db, fx.admin, environment.id))).status).toBe(404);
    // ...its runs stay reachable by id and listed for project admins, and only for them.
    await expect(getRun(db, fx.admin, run.id)).resolves.toMatchObject({ run: { id: run.id } });
    expect((await refusal(getRun(db, fx.contributor, run.id))).status).toBe(404);
    expect((await listRuns(db, fx.admin, environment.id, {})).runs.map((r) => r.id)).toEqual([run.id]);
    expect((await refusal(listRuns(db, fx.contributor, environment.id, {}))).status).toBe(404);
    const kept = await getDeletedEnvironment(db, fx.admin, fx.project.slug, environment.id);
    expect(kept).toMatchObject({ environment: { originalName: "doomed" }, project: { id: fx.project.id } });
    expect((await listRuns(db, fx.admin, kept.loaded, {})).runs.map((r) => r.id)).toEqual([run.id]);
    expect(
      (await refusal(getDeletedEnvironment(db, fx.viewer, fx.project.slug, environment.id))).status,
    ).toBe(403);
    const settings = await listEnvironmentSettings(db, fx.admin, fx.project.id);
    expect(settings.deleted).toEqual([expect.objectContaining({ name: "doomed", runCount: 1 })]);

    // The name is free again.
    const again = await create("doomed", target.dir, "development");
    expect(again.environment.id).not.toBe(environment.id);
  });
});
