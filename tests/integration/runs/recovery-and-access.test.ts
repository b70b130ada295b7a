import { writeFileSync } from "node:fs";
import { hostname } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../../lib/db/client";
import { deployEnvironment } from "../../../lib/deployments/deploy-environment";
import { AppError } from "../../../lib/errors";
import { newId } from "../../../lib/ids";
import { openRunLog } from "../../../lib/logs/open-run-log";
import { cancelRun } from "../../../lib/runs/cancel-run";
import { startRun } from "../../../lib/runs/start-run";
import { queueKey } from "../../../lib/runs/run-model";
import {
  BACKENDS,
  type Fixture,
  freshDatabase,
  seedFixture,
  startWorker,
  storedLog,
} from "../../support/harness";

const CONFIG = `
applications:
  web:
    source:
      root: app
    operations:
      for-viewers:
        role: viewer
        commands:
          start: echo viewers
      for-contributors:
        commands:
          start: echo contributors
      for-admins:
        role: admin
        commands:
          start: echo admins
    workers:
      queue:
        operations:
          drain:
            role: admin
            commands:
              start: 'echo "draining $QUEUE"'
`;

async function refusal(work: Promise<unknown>): Promise<{ status: number; message: string }> {
  try {
    await work;
  } catch (error) {
    if (error instanceof AppError) return { status: error.status, message: error.message };
    throw error;
  }
  throw new Error("expected a refusal");
}

describe.each(BACKENDS)("access, deployments and recovery on %s", (provider) => {
  let db: Db;
  let url: string;
  let fx: Fixture;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    const fresh = await freshDatabase(provider, "access");
    db = fresh.db;
    url = fresh.url;
    fx = await seedFixture(db, CONFIG);
    cleanup = async () => {
      fx.cleanup();
      await fresh.cleanup();
    };
  });
  afterAll(async () => cleanup?.());

  const trigger = (operation: string, actor: Fixture["admin"], worker: string | null = null) =>
    startRun(db, actor, { environmentId: fx.env.id, app: "web", worker, operation });

  it("refuses a run above the member's role with the reason, and creates nothing", async () => {
    const before = await db.run.count();
    expect(await refusal(trigger("for-contributors", fx.viewer))).toEqual({
      status: 403,
      message: "Not allowed: requires contributor",
    });
    expect(await refusal(trigger("for-admins", fx.contributor))).toEqual({
      status: 403,
      message: "Not allowed: requires admin",
    });
    expect(await db.run.count()).toBe(before);
    const denied = await db.auditEvent.findMany({
      where: { action: "access.denied" },
      orderBy: { id: "asc" },
    });
    expect(denied.map((e) => [e.actorLabel, e.target])).toEqual([
      [fx.viewer.email, "operation for-contributors"],
      [fx.contributor.email, "operation for-admins"],
    ]);
    await expect(trigger("for-viewers", fx.viewer)).resolves.toMatchObject({ state: "pending" });
    await expect(trigger("for-admins", fx.admin)).resolves.toMatchObject({ role: "admin" });
    await expect(trigger("drain", fx.admin, "queue")).resolves.toMatchObject({ worker: "queue" });
    const triggered = await db.auditEvent.findMany({
      where: { action: "run.triggered" },
      orderBy: { id: "asc" },
    });
    expect(triggered.map((e) => e.target)).toEqual([
      "for-viewers on web (feature-x)",
      "for-admins on web (feature-x)",
      "drain on web--queue (feature-x)",
    ]);
  });

  it("answers 404 to someone outside the project, for environments and runs alike", async () => {
    expect((await refusal(trigger("for-viewers", fx.outsider))).status).toBe(404);
    const run = await trigger("for-viewers", fx.viewer);
    expect((await refusal(cancelRun(db, fx.outsider, run.id))).status).toBe(404);
    expect((await refusal(trigger("no-such-operation", fx.admin))).status).toBe(404);
  });

  it("opens a run's log only for those who may see the run: lines, search and bytes alike", async () => {
    const run = await trigger("for-viewers", fx.viewer);
    expect((await refusal(openRunLog(db, fx.outsider, run.id))).status).toBe(404);
    expect((await refusal(openRunLog(db, fx.viewer, "no-such-run"))).status).toBe(404);
    const log = await openRunLog(db, fx.viewer, run.id);
    expect(log.run.id).toBe(run.id);
    await expect(log.lines({ tail: 10 })).resolves.toMatchObject({ total: 0, lines: [] });
    await expect(log.search("viewers", 10)).resolves.toEqual({ matches: [], truncated: false });
  });

  it("lets whoever may run an operation cancel its runs, and nobody else", async () => {
    const run = await trigger("for-contributors", fx.contributor);
    expect(await refusal(cancelRun(db, fx.viewer, run.id))).toEqual({
      status: 403,
      message: "Not allowed: requires contributor",
    });
    await expect(cancelRun(db, fx.contributor, run.id)).resolves.toMatchObject({ state: "cancelled" });
    expect((await refusal(cancelRun(db, fx.contributor, run.id))).status).toBe(409);
  });

  it("refuses runs on a paused environment with a clear reason", async () => {
    await db.environment.update({ where: { id: fx.env.id }, data: { status: "paused" } });
    try {
      expect(await refusal(trigger("for-viewers", fx.admin))).toEqual({
        status: 409,
        message: "environment feature-x is paused: runs are refused",
      });
    } finally {
      await db.environment.update({ where: { id: fx.env.id }, data: { status: "active" } });
    }
  });

  it("refuses an invalid config and keeps the previous deployment current", async () => {
    const before = await db.environment.findUniqueOrThrow({ where: { id: fx.env.id } });
    writeFileSync(
      path.join(fx.target, ".upsun", "config.yaml"),
      CONFIG.replace("role: viewer", "role: owner").replace("echo contributors", "echo changed"),
    );
    const result = await deployEnvironment(db, fx.env.id, fx.admin.userId);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error).toBe(
        '.upsun/config.yaml:8:15 applications.web.operations.for-viewers.role: expected viewer, contributor or admin, got "owner"',
      );
    }
    const after = await db.environment.findUniqueOrThrow({ where: { id: fx.env.id } });
    expect(after.currentDeploymentId).toBe(before.currentDeploymentId);
    // Operations still come from the last good snapshot, not from the file on disk.
    const run = await trigger("for-contributors", fx.admin);
    expect(run.command).toBe("echo contributors");
    writeFileSync(path.join(fx.target, ".upsun", "config.yaml"), CONFIG);
  });

  it("at start-up, ends as failure the runs a dead worker left in progress, keeping their log", async () => {
    await db.run.updateMany({
      where: { state: { in: ["pending", "in_progress"] } },
      data: { state: "cancelled" },
    });
    const env = await db.environment.findUniqueOrThrow({ where: { id: fx.env.id } });
    const base = {
      environmentId: fx.env.id,
      deploymentId: env.currentDeploymentId!,
      app: "web",
      operation: "for-viewers",
      role: "viewer",
      command: "echo viewers",
      appDir: fx.appDir,
      source: "console",
      triggeredById: fx.admin.userId,
      state: "in_progress",
      startedAt: new Date(),
    };
    const worker = (host: string, pid: number) =>
      db.worker.create({
        data: {
          id: newId(),
          name: `w${pid}`,
          host,
          pid,
          version: "test",
          concurrency: 1,
          containment: "cgroup",
          heartbeatAt: new Date(),
        },
      });
    const deadLocal = await db.run.create({
      data: {
        ...base,
        id: newId(),
        queueKey: queueKey(fx.env.id, "web", null, "a"),
        workerId: (await worker(hostname(), 999999)).id,
        leaseUntil: new Date(Date.now() + 60_000),
        logSeq: 1,
      },
    });
    await db.logChunk.create({
      data: {
        runId: deadLocal.id,
        seq: 1,
        stream: "stdout",
        data: Buffer.from("half done\n"),
        at: new Date(),
      },
    });
    const expired = await db.run.create({
      data: {
        ...base,
        id: newId(),
        queueKey: queueKey(fx.env.id, "web", null, "b"),
        workerId: (await worker("other-host", 1)).id,
        leaseUntil: new Date(Date.now() - 1000),
      },
    });
    const alive = await db.run.create({
      data: {
        ...base,
        id: newId(),
        queueKey: queueKey(fx.env.id, "web", null, "c"),
        workerId: (await worker("other-host", 2)).id,
        leaseUntil: new Date(Date.now() + 60_000),
      },
    });

    const started = startWorker(db, provider, url);
    await started.ready;
    await started.worker.stop();

    const read = (id: string) => db.run.findUniqueOrThrow({ where: { id } });
    const [a, b, c] = [await read(deadLocal.id), await read(expired.id), await read(alive.id)];
    expect(a).toMatchObject({ state: "complete", result: "failure" });
    expect(a.reason).toContain("stopped while the run was in progress");
    expect((await storedLog(db, a.id)).text).toBe("half done\n");
    expect(b).toMatchObject({ state: "complete", result: "failure" });
    expect(b.reason).toContain("lease expired");
    // A run whose worker still holds a valid lease elsewhere is left alone (at-most-once).
    expect(c.state).toBe("in_progress");
  });
});
