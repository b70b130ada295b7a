// Worker pools: `runops worker --pool NAME` claims only the runs of environments
// of that pool; runs of a pool without a live worker wait for one.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../../lib/db/client";
import { deployEnvironment } from "../../../lib/deployments/deploy-environment";
import { leaseMs } from "../../../lib/env";
import { newId } from "../../../lib/ids";
import { startRun } from "../../../lib/runs/start-run";
import { listWorkers } from "../../../lib/worker/list-workers";
import { BACKENDS, type Fixture, freshDatabase, seedFixture, waitFor } from "../../support/harness";
import {
  type TestConsole,
  type WorkerProcess,
  killWorkers,
  socketDir,
  spawnWorker,
  startTestConsole,
  startWorkerProcess,
} from "../../support/worker-process";
import { endRunProcesses } from "./support";

const config = `
applications:
  web:
    source:
      root: app
    operations:
      hello:
        commands:
          start: echo hello
`;

describe.each(BACKENDS)("worker pools on %s", (provider) => {
  let db: Db;
  let url: string;
  let fx: Fixture;
  /** An environment of pool "b", beside fx.env (pool "default"). */
  let envB: { id: string };
  let hub: TestConsole;
  let socketPath: string;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    const fresh = await freshDatabase(provider, "worker_pools");
    const sock = socketDir();
    db = fresh.db;
    url = fresh.url;
    socketPath = sock.socketPath;
    fx = await seedFixture(db, config);
    envB = await db.environment.create({
      data: {
        id: newId(),
        projectId: fx.project.id,
        name: "feature-b",
        type: "development",
        targetPath: fx.target,
        pool: "b",
      },
    });
    const deployed = await deployEnvironment(db, envB.id, fx.admin.userId);
    if (!deployed.ok) throw new Error(deployed.error);
    // The workers page is for instance admins.
    await db.user.update({ where: { id: fx.admin.userId }, data: { isAdmin: true } });
    hub = await startTestConsole({ db, url, socketPath });
    cleanup = async () => {
      await killWorkers();
      await endRunProcesses(db);
      await hub.close();
      fx.cleanup();
      sock.cleanup();
      await fresh.cleanup();
    };
  });
  afterAll(async () => {
    await cleanup?.();
  });

  const trigger = (environmentId: string, n: number) =>
    Promise.all(
      Array.from({ length: n }, () =>
        startRun(db, fx.admin, { environmentId, app: "web", operation: "hello" }),
      ),
    );
  const rows = (runs: Array<{ id: string }>) =>
    db.run.findMany({ where: { id: { in: runs.map((r) => r.id) } }, orderBy: { id: "asc" } });
  const allComplete = (runs: Array<{ id: string }>, what: string) =>
    waitFor(
      async () => {
        const now = await rows(runs);
        return now.every((r) => r.state === "complete") ? now : undefined;
      },
      20_000,
      what,
    );
  const start = async (name: string, pool?: string, env: Record<string, string> = {}) => {
    const worker = spawnWorker({
      url,
      socketPath,
      env: { RUNOPS_WORKER_NAME: name, ...env },
      args: pool ? ["--pool", pool] : [],
    });
    const started = await worker.waitForLog("worker started");
    return { worker, id: String(started.workerId), started };
  };
  const stop = async (w: WorkerProcess) => {
    w.kill("SIGTERM");
    expect(await w.exited).toEqual({ code: 0, signal: null });
  };

  it("a worker claims only its pool's runs, passing over older runs of another pool, which wait for a worker of theirs", async () => {
    // No worker yet. Runs of pool b first, so that they are the oldest pending runs.
    const runsB = await trigger(envB.id, 3);
    const runsDefault = await trigger(fx.env.id, 3);
    expect(runsB.map((r) => r.pool)).toEqual(["b", "b", "b"]);
    expect(runsDefault.map((r) => r.pool)).toEqual(["default", "default", "default"]);

    const def = await start("default-worker");
    expect(def.started.pool).toBe("default");
    const doneDefault = await allComplete(runsDefault, "the default pool's runs");
    expect(doneDefault.map((r) => r.workerId)).toEqual([def.id, def.id, def.id]);
    // Claims go oldest first: these were passed over, not left for later.
    expect((await rows(runsB)).map((r) => r.state)).toEqual(["pending", "pending", "pending"]);

    const b = await start("b-worker", "b");
    expect(b.started.pool).toBe("b");
    const doneB = await allComplete(runsB, "pool b's runs, once a worker of pool b started");
    expect(doneB.map((r) => [r.workerId, r.result])).toEqual([
      [b.id, "success"],
      [b.id, "success"],
      [b.id, "success"],
    ]);

    // The other way round: with only the pool-b worker left, the older default runs wait.
    await stop(def.worker);
    const laterDefault = await trigger(fx.env.id, 2);
    const laterB = await trigger(envB.id, 2);
    const doneLaterB = await allComplete(laterB, "pool b's later runs");
    expect(doneLaterB.map((r) => r.workerId)).toEqual([b.id, b.id]);
    expect((await rows(laterDefault)).map((r) => r.state)).toEqual(["pending", "pending"]);

    const def2 = await start("default-worker-2");
    const doneLaterDefault = await allComplete(
      laterDefault,
      "the default runs, once a default worker started",
    );
    expect(doneLaterDefault.map((r) => r.workerId)).toEqual([def2.id, def2.id]);
    await stop(b.worker);
    await stop(def2.worker);
  });

  it("the workers page lists each worker with its pool", async () => {
    // A heartbeat long enough that a busy machine cannot make them look lost.
    const beat = { RUNOPS_HEARTBEAT_MS: "2000" };
    const b = await start("listed-b", "b", beat);
    const def = await start("listed-default", undefined, beat);
    const listed = await listWorkers(db, fx.admin, leaseMs({ RUNOPS_HEARTBEAT_MS: 2000 }));
    const mine = listed.filter((w) => w.id === b.id || w.id === def.id);
    expect(
      mine
        .map((w) => ({ name: w.name, pool: w.pool, state: w.state }))
        .toSorted((x, y) => (x.name < y.name ? -1 : 1)),
    ).toEqual([
      { name: "listed-b", pool: "b", state: "live" },
      { name: "listed-default", pool: "default", state: "live" },
    ]);
    await stop(b.worker);
    await stop(def.worker);
  });

  it("RUNOPS_WORKER_POOL names the pool too; a name that is not a slug is refused at start", async () => {
    const fromEnv = await startWorkerProcess({ url, socketPath, env: { RUNOPS_WORKER_POOL: "b" } });
    const started = fromEnv.logs().find((l) => l.msg === "worker started");
    expect(started?.pool).toBe("b");
    await stop(fromEnv);

    const refused = spawnWorker({ url, socketPath, args: ["--pool", "Pool B!"] });
    expect(await refused.exited).toEqual({ code: 1, signal: null });
    expect(refused.stderr()).toContain(
      "runops worker: pool: use lower-case letters, digits and inner hyphens",
    );
    const refusedEnv = spawnWorker({ url, socketPath, env: { RUNOPS_WORKER_POOL: "-b" } });
    expect(await refusedEnv.exited).toEqual({ code: 1, signal: null });
    expect(refusedEnv.stderr()).toContain("RUNOPS_WORKER_POOL: use lower-case letters");
  });
});
