import { hostname } from "node:os";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../../lib/db/client";
import { cancelRun } from "../../../lib/runs/cancel-run";
import { startRun } from "../../../lib/runs/start-run";
import {
  BACKENDS,
  type Fixture,
  freshDatabase,
  seedFixture,
  storedLog,
  waitFor,
  waitForRunEnd,
} from "../../support/harness";
import { processesMatching } from "../../support/processes";
import {
  TEST_HEARTBEAT_MS,
  type TestConsole,
  killWorkers,
  socketDir,
  startTestConsole,
  startWorkerProcess,
} from "../../support/worker-process";
import { endRunProcesses, processesLeft, runRow, uniqueSleep, waitForLogText } from "./support";

const config = (long: number) => `
applications:
  web:
    source:
      root: app
    operations:
      hello:
        role: viewer
        commands:
          start: 'echo "hello from $PLATFORM_APPLICATION_NAME"; echo "no secrets: [$DATABASE_URL]"'
      one-second:
        commands:
          start: 'echo begin; sleep 1; echo end'
      long:
        commands:
          start: 'echo started; sleep ${long}'
`;

describe.each(BACKENDS)("a worker process on %s", (provider) => {
  const long = uniqueSleep(9971, provider);
  let db: Db;
  let url: string;
  let fx: Fixture;
  let hub: TestConsole;
  let socketPath: string;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    const fresh = await freshDatabase(provider, "worker_process");
    const sock = socketDir();
    db = fresh.db;
    url = fresh.url;
    socketPath = sock.socketPath;
    fx = await seedFixture(db, config(long));
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
    const left = processesLeft([`sleep ${long}`]);
    await cleanup?.();
    expect(left).toEqual([]);
  });

  const trigger = (operation: string) =>
    startRun(db, fx.admin, { environmentId: fx.env.id, app: "web", operation });

  it("executes a run triggered through startRun, says which worker ran it, and keeps its heartbeat", async () => {
    const worker = await startWorkerProcess({ url, socketPath });
    const run = await trigger("hello");
    const done = await waitForRunEnd(db, run.id, 10000);
    expect(done).toMatchObject({ state: "complete", result: "success", exitCode: 0 });
    expect((await storedLog(db, run.id)).text).toBe("hello from web\nno secrets: []\n");
    // "Executed by": the worker process, not this one.
    expect(done.workerLabel).toBe(`test-worker-process (pid ${worker.pid} on ${hostname()})`);
    const row = await db.worker.findUniqueOrThrow({ where: { id: done.workerId! } });
    expect(row).toMatchObject({
      name: "test-worker-process",
      pid: worker.pid,
      host: hostname(),
      containment: "cgroup",
      runAs: null,
      stoppedAt: null,
    });
    // Its heartbeat goes on: the workers page shows it live.
    const beat = row.heartbeatAt.getTime();
    const later = await waitFor(
      async () => {
        const w = await db.worker.findUniqueOrThrow({ where: { id: row.id } });
        return w.heartbeatAt.getTime() > beat ? w : undefined;
      },
      3 * TEST_HEARTBEAT_MS,
      "the next heartbeat",
    );
    expect(later.heartbeatAt.getTime() - beat).toBeLessThan(3 * TEST_HEARTBEAT_MS);
    worker.kill("SIGTERM");
    expect(await worker.exited).toEqual({ code: 0, signal: null });
  });

  it("on SIGTERM lets a running run finish, claims nothing new, exits 0 and records that it stopped", async () => {
    const worker = await startWorkerProcess({ url, socketPath, env: { RUNOPS_WORKER_DRAIN_MS: "5000" } });
    const run = await trigger("one-second");
    await waitForLogText(db, run.id, "begin");
    worker.kill("SIGTERM");
    await worker.waitForLog("shutting down");
    // Triggered while the worker drains: it waits for another worker.
    const queued = await trigger("hello");

    expect(await worker.exited).toEqual({ code: 0, signal: null });
    const done = await runRow(db, run.id);
    expect(done).toMatchObject({ state: "complete", result: "success", exitCode: 0 });
    expect((await storedLog(db, run.id)).text).toBe("begin\nend\n");
    expect((await runRow(db, queued.id)).state).toBe("pending");
    const row = await db.worker.findUniqueOrThrow({ where: { id: done.workerId! } });
    expect(row.stoppedAt).not.toBeNull();
    expect(row.stoppedAt!.getTime()).toBeGreaterThanOrEqual(done.finishedAt!.getTime());
    await cancelRun(db, fx.admin, queued.id);
  });

  it("on SIGTERM cancels a run still going after the drain period, leaving no process", async () => {
    const worker = await startWorkerProcess({ url, socketPath, env: { RUNOPS_WORKER_DRAIN_MS: "200" } });
    const run = await trigger("long");
    await waitForLogText(db, run.id, "started");
    expect(processesMatching(`sleep ${long}`)).not.toEqual([]);
    worker.kill("SIGTERM");

    expect(await worker.exited).toEqual({ code: 0, signal: null });
    const done = await runRow(db, run.id);
    expect(done).toMatchObject({
      state: "cancelled",
      result: "failure",
      reason: "worker shutting down",
      signal: "SIGTERM",
    });
    const log = await storedLog(db, run.id);
    expect(log.byStream("stdout")).toBe("started\n");
    expect(log.byStream("system")).toBe("[runops] worker shutting down\n");
    expect(processesMatching(`sleep ${long}`)).toEqual([]);
    const row = await db.worker.findUniqueOrThrow({ where: { id: done.workerId! } });
    expect(row.stoppedAt).not.toBeNull();
  });
});
