import { writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../../lib/db/client";
import { deployEnvironment } from "../../../lib/deployments/deploy-environment";
import { deleteEnvironment } from "../../../lib/environments/delete-environment";
import { AppError } from "../../../lib/errors";
import { getRun } from "../../../lib/runs/get-run";
import { runAgain, runAgainOffer } from "../../../lib/runs/run-again";
import { toRunView } from "../../../lib/runs/run-view";
import { startRun } from "../../../lib/runs/start-run";
import { BACKENDS, type Fixture, freshDatabase, seedFixture } from "../../support/harness";

const CONFIG = `
applications:
  web:
    source:
      root: app
    operations:
      warm:
        commands:
          start: echo warm
      gone:
        commands:
          start: echo gone
    workers:
      queue:
        operations:
          warm:
            commands:
              start: echo queue warm
`;

async function refusal(work: Promise<unknown>): Promise<{ status: number; code: string; message: string }> {
  try {
    await work;
  } catch (error) {
    if (error instanceof AppError) return { status: error.status, code: error.code, message: error.message };
    throw error;
  }
  throw new Error("expected a refusal");
}

describe.each(BACKENDS)("Run again on %s", (provider) => {
  let db: Db;
  let fx: Fixture;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    const fresh = await freshDatabase(provider, "run_again");
    db = fresh.db;
    fx = await seedFixture(db, CONFIG);
    cleanup = async () => {
      fx.cleanup();
      await fresh.cleanup();
    };
  });
  afterAll(async () => cleanup?.());

  /** A run of `operation` that has ended (no worker here: the end is written as finishRun would). */
  async function finishedRun(operation: string, worker: string | null = null, actor = fx.contributor) {
    const run = await startRun(db, actor, { environmentId: fx.env.id, app: "web", worker, operation });
    await db.run.update({
      where: { id: run.id },
      data: { state: "complete", result: "success", exitCode: 0, finishedAt: new Date() },
    });
    return run;
  }

  async function deploy(config: string) {
    writeFileSync(path.join(fx.target, ".upsun", "config.yaml"), config);
    const result = await deployEnvironment(db, fx.env.id, fx.admin.userId);
    expect(result.ok).toBe(true);
  }

  const offerFor = async (runId: string, actor = fx.contributor) =>
    runAgainOffer(db, actor, (await getRun(db, actor, runId)).run);

  it("starts the same operation on the same app and worker, linked to the run it repeats, audited", async () => {
    const first = await finishedRun("warm", "queue");
    expect(await offerFor(first.id)).toEqual({ allowed: true, reason: null });
    const again = await runAgain(db, fx.contributor, first.id);
    expect(again).toMatchObject({
      state: "pending",
      app: "web",
      worker: "queue",
      operation: "warm",
      command: "echo queue warm",
      repeatOfId: first.id,
      triggeredById: fx.contributor.userId,
    });
    const shown = await getRun(db, fx.viewer, again.id);
    expect(toRunView(shown.run).repeatOf).toBe(first.id);
    expect(toRunView((await getRun(db, fx.viewer, first.id)).run).repeatOf).toBeNull();
    const audit = await db.auditEvent.findFirstOrThrow({
      where: { action: "run.triggered" },
      orderBy: { id: "desc" },
    });
    expect(audit.target).toBe("warm on web--queue (feature-x)");
    expect(JSON.parse(audit.details ?? "{}")).toMatchObject({ runId: again.id, repeatOf: first.id });
  });

  it("refuses a run that has not finished, and someone outside the project gets a 404", async () => {
    const running = await startRun(db, fx.contributor, { environmentId: fx.env.id, operation: "gone" });
    const before = await db.run.count();
    expect(await refusal(runAgain(db, fx.contributor, running.id))).toMatchObject({
      status: 409,
      code: "run_not_finished",
    });
    const done = await finishedRun("gone");
    expect((await refusal(runAgain(db, fx.outsider, done.id))).status).toBe(404);
    expect(await db.run.count()).toBe(before + 1);
  });

  it("uses the current deployment: a removed operation starts nothing, a raised role is refused", async () => {
    const gone = await finishedRun("gone");
    const warm = await finishedRun("warm");
    await deploy(
      CONFIG.replace(/ {6}gone:\n.*\n.*\n/, "").replace(
        "      warm:\n        commands:\n          start: echo warm",
        "      warm:\n        role: admin\n        commands:\n          start: echo warm",
      ),
    );
    try {
      const before = await db.run.count();
      expect(await offerFor(gone.id)).toEqual({
        allowed: false,
        reason: "no longer in the current deployment",
      });
      expect(await refusal(runAgain(db, fx.contributor, gone.id))).toEqual({
        status: 404,
        code: "not_found",
        message: "gone on web is no longer in feature-x's current deployment: nothing was started",
      });
      expect(await offerFor(warm.id)).toEqual({ allowed: false, reason: "requires admin" });
      expect(await refusal(runAgain(db, fx.contributor, warm.id))).toMatchObject({
        status: 403,
        message: "Not allowed: requires admin",
      });
      expect(await db.run.count()).toBe(before);
      const denied = await db.auditEvent.findFirstOrThrow({
        where: { action: "access.denied" },
        orderBy: { id: "desc" },
      });
      expect(denied.target).toBe("operation warm");
      // The admin may: the new run carries the current command and role.
      await expect(runAgain(db, fx.admin, warm.id)).resolves.toMatchObject({
        role: "admin",
        repeatOfId: warm.id,
      });
    } finally {
      await deploy(CONFIG);
    }
  });

  it("refuses on a paused environment and offers nothing on a deleted one", async () => {
    const run = await finishedRun("warm");
    await db.environment.update({ where: { id: fx.env.id }, data: { status: "paused" } });
    expect(await offerFor(run.id)).toEqual({ allowed: false, reason: "environment is paused" });
    expect(await refusal(runAgain(db, fx.contributor, run.id))).toMatchObject({
      status: 409,
      message: "environment feature-x is paused: runs are refused",
    });
    await db.environment.update({ where: { id: fx.env.id }, data: { status: "active" } });
    await db.run.updateMany({ where: { state: "pending" }, data: { state: "cancelled" } });
    await deleteEnvironment(db, fx.admin, fx.env.id);
    expect(await offerFor(run.id, fx.admin)).toBeNull();
    expect(await refusal(runAgain(db, fx.admin, run.id))).toEqual({
      status: 409,
      code: "environment_deleted",
      message: "environment feature-x was deleted: it takes no new runs",
    });
  });
});
