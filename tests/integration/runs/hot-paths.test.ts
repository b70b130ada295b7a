// The hot paths read what they need in as few statements as they can (joined
// raw reads): these check that what they answer is what Prisma's own reads give.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../../lib/db/client";
import { getEnvironment } from "../../../lib/environments/get-environment";
import { AppError } from "../../../lib/errors";
import { cancelRun } from "../../../lib/runs/cancel-run";
import { getRun } from "../../../lib/runs/get-run";
import { listRuns } from "../../../lib/runs/list-runs";
import { toRunView } from "../../../lib/runs/run-view";
import { startRun, startRunIn } from "../../../lib/runs/start-run";
import { authenticateToken } from "../../../lib/tokens/authenticate-token";
import { createApiToken } from "../../../lib/tokens/create-api-token";
import { revokeApiToken } from "../../../lib/tokens/revoke-api-token";
import { BACKENDS, type Fixture, freshDatabase, seedFixture } from "../../support/harness";

const CONFIG = `
applications:
  web:
    source:
      root: app
    operations:
      hello:
        commands:
          start: echo hello
      for-admins:
        role: admin
        commands:
          start: echo admins
`;

async function status(work: Promise<unknown>): Promise<number> {
  try {
    await work;
  } catch (error) {
    if (error instanceof AppError) return error.status;
    throw error;
  }
  return 200;
}

describe.each(BACKENDS)("hot paths on %s", (provider) => {
  let db: Db;
  let fx: Fixture;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    const fresh = await freshDatabase(provider, "hot-paths");
    db = fresh.db;
    fx = await seedFixture(db, CONFIG);
    cleanup = async () => {
      fx.cleanup();
      await fresh.cleanup();
    };
  });
  afterAll(async () => cleanup?.());

  const prismaView = async (id: string, canCancel: boolean) =>
    toRunView(
      await db.run.findUniqueOrThrow({
        where: { id },
        include: {
          environment: { include: { project: true } },
          triggeredBy: { select: { id: true, name: true, email: true } },
        },
      }),
      { canCancel },
    );

  it("getRun answers what Prisma reads, ended runs and log sizes included", async () => {
    const run = await startRun(db, fx.contributor, { environmentId: fx.env.id, operation: "hello" });
    const pending = await getRun(db, fx.contributor, run.id);
    expect(toRunView(pending.run, { canCancel: pending.canCancel })).toEqual(await prismaView(run.id, true));
    await db.run.update({
      where: { id: run.id },
      data: {
        state: "complete",
        result: "failure",
        exitCode: 3,
        signal: null,
        reason: "exit code 3",
        startedAt: new Date(Date.now() - 5000),
        finishedAt: new Date(),
        cancelRequestedAt: new Date(Date.now() - 1000),
        workerLabel: "w (pid 1 on h)",
        logBytes: 5_000_000_000n,
        logTruncated: true,
      },
    });
    const ended = await getRun(db, fx.viewer, run.id);
    expect(ended.canCancel).toBe(false);
    expect(toRunView(ended.run, { canCancel: ended.canCancel })).toEqual(await prismaView(run.id, false));
    expect(ended.run.environment).toMatchObject({ deletedAt: null, project: { slug: fx.project.slug } });
    expect(await status(getRun(db, fx.outsider, run.id))).toBe(404);
    expect(await status(getRun(db, fx.admin, "no-such-run"))).toBe(404);
  });

  it("lists the same page by id and by name, with the environment each run shows", async () => {
    await startRun(db, fx.admin, { environmentId: fx.env.id, operation: "for-admins" });
    const byId = await listRuns(db, fx.contributor, fx.env.id, { limit: 10 });
    const byName = await listRuns(
      db,
      fx.contributor,
      { projectSlug: fx.project.slug, environmentName: fx.env.name },
      { limit: 10 },
    );
    expect(byName).toEqual(byId);
    expect(byId.runs.map((r) => [r.operation, r.canCancel])).toEqual([
      ["for-admins", false],
      ["hello", true],
    ]);
    for (const r of byId.runs) {
      expect(toRunView(r, { canCancel: r.canCancel })).toEqual(await prismaView(r.id, r.canCancel));
    }
    const none = { projectSlug: fx.project.slug, environmentName: "nope" };
    expect(await status(listRuns(db, fx.admin, none, {}))).toBe(404);
    expect(await status(listRuns(db, fx.outsider, fx.env.id, {}))).toBe(404);
  });

  it("triggers by name with the same checks as by id", async () => {
    const run = await startRunIn(db, fx.contributor, fx.project.slug, fx.env.name, { operation: "hello" });
    expect(run).toMatchObject({ state: "pending", environment: { name: fx.env.name } });
    expect(
      await status(startRunIn(db, fx.viewer, fx.project.slug, fx.env.name, { operation: "hello" })),
    ).toBe(403);
    expect(
      await status(startRunIn(db, fx.outsider, fx.project.slug, fx.env.name, { operation: "hello" })),
    ).toBe(404);
    expect(await status(startRunIn(db, fx.admin, fx.project.slug, "nope", { operation: "hello" }))).toBe(404);
    expect(await status(startRunIn(db, fx.admin, fx.project.slug, fx.env.name, { operation: "nope" }))).toBe(
      404,
    );
    await cancelRun(db, fx.contributor, run.id);
  });

  it("getEnvironment shows when the config was deployed and a refused refresh", async () => {
    const current = await db.deployment.findFirstOrThrow({ where: { environmentId: fx.env.id, ok: true } });
    const view = await getEnvironment(db, fx.viewer, fx.project.slug, fx.env.name);
    expect(view.deployedAt).toEqual(current.createdAt);
    expect(view.failedDeploy).toBeNull();
    const at = new Date(current.createdAt.getTime() + 1000);
    await db.deployment.create({
      data: { id: `d${Date.now()}`, environmentId: fx.env.id, ok: false, error: "bad yaml", createdAt: at },
    });
    const after = await getEnvironment(db, fx.viewer, fx.project.slug, fx.env.name);
    expect(after.failedDeploy).toEqual({ at, error: "bad yaml" });
    expect(after.operations.map((o) => [o.name, o.allowed])).toEqual([
      ["hello", false],
      ["for-admins", false],
    ]);
  });

  it("authenticates a token in one read and records its use at most once a minute", async () => {
    const { secret, token } = await createApiToken(db, fx.viewer, { name: "t", expiresInDays: 1 });
    const user = await authenticateToken(db, secret);
    expect(user).toEqual({ id: fx.viewer.userId, email: fx.viewer.email, name: fx.viewer.name });
    const used = (await db.apiToken.findUniqueOrThrow({ where: { id: token.id } })).lastUsedAt;
    expect(used).not.toBeNull();
    await authenticateToken(db, secret);
    expect((await db.apiToken.findUniqueOrThrow({ where: { id: token.id } })).lastUsedAt).toEqual(used);
    await db.apiToken.update({
      where: { id: token.id },
      data: { lastUsedAt: new Date(Date.now() - 61_000) },
    });
    await authenticateToken(db, secret);
    const refreshed = (await db.apiToken.findUniqueOrThrow({ where: { id: token.id } })).lastUsedAt;
    expect(refreshed!.getTime()).toBeGreaterThan(Date.now() - 5000);

    await db.apiToken.update({ where: { id: token.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect(await authenticateToken(db, secret)).toBeNull();
    await db.apiToken.update({ where: { id: token.id }, data: { expiresAt: new Date(Date.now() + 60_000) } });
    expect(await authenticateToken(db, secret)).not.toBeNull();
    await revokeApiToken(db, fx.viewer, token.id);
    expect(await authenticateToken(db, secret)).toBeNull();
    expect(await authenticateToken(db, `rop_${"x".repeat(43)}`)).toBeNull();
  });
});
