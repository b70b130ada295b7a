import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../../lib/db/client";
import { cancelRun } from "../../../lib/runs/cancel-run";
import { startRun } from "../../../lib/runs/start-run";
import {
  BACKENDS,
  type Fixture,
  TEST_WORKER_OPTIONS,
  freshDatabase,
  seedFixture,
  startWorker,
  storedLog,
  waitForRunEnd,
} from "../../support/harness";
import { processesMatching } from "../../support/processes";
import { endRunProcesses, processesLeft, uniqueSleep, waitForLogText } from "./support";

const GRACE_MS = TEST_WORKER_OPTIONS.RUNOPS_CANCEL_GRACE_MS;

/** The sleeps each operation leaves behind, by name: unique per backend (see uniqueSleep). */
const sleeps = (provider: "sqlite" | "postgresql") => ({
  setsid: uniqueSleep(9992, provider),
  redirected: uniqueSleep(9996, provider),
  background: uniqueSleep(9993, provider),
  nohup: uniqueSleep(9994, provider),
  doubleFork: uniqueSleep(9990, provider),
  holdsStdout: uniqueSleep(9995, provider),
  escaped: uniqueSleep(9997, provider),
  trapped: uniqueSleep(9998, provider),
  trappedTimeout: uniqueSleep(9999, provider),
});

const config = (s: ReturnType<typeof sleeps>) => `
applications:
  web:
    source:
      root: app
    operations:
      setsid-and-exit:
        commands:
          start: 'setsid sleep ${s.setsid} & exit 0'
      redirected-and-exit:
        commands:
          start: 'sleep ${s.redirected} >/dev/null 2>&1 & exit 0'
      background:
        commands:
          start: 'sleep ${s.background} & echo done'
      double-fork:
        commands:
          start: |
            (nohup sleep ${s.nohup} >/dev/null 2>&1 &)
            sh -c 'sh -c "sleep ${s.doubleFork} </dev/null >/dev/null 2>&1 &" &'
            echo forked
      holds-stdout:
        commands:
          start: 'setsid sleep ${s.holdsStdout} & echo bye'
      escaped-ignores-term:
        commands:
          start: |
            setsid sh -c 'trap "" TERM; sleep ${s.escaped}' &
            echo ready
            wait
      ignores-term:
        commands:
          start: |
            trap '' TERM
            sleep ${s.trapped} &
            echo ready
            wait
      ignores-term-timeout:
        timeout: 1
        commands:
          start: "trap '' TERM; sleep ${s.trappedTimeout} & wait"
`;

describe.each(BACKENDS)("what a run leaves running, on %s", (provider) => {
  const s = sleeps(provider);
  let db: Db;
  let fx: Fixture;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    const fresh = await freshDatabase(provider, "containment");
    db = fresh.db;
    fx = await seedFixture(db, config(s));
    const { worker, ready } = startWorker(db, provider, fresh.url);
    await ready;
    cleanup = async () => {
      await worker.stop();
      await endRunProcesses(db);
      fx.cleanup();
      await fresh.cleanup();
    };
  });
  afterAll(async () => {
    const left = processesLeft(Object.values(s).map((n) => `sleep ${n}`));
    await cleanup?.();
    expect(left).toEqual([]);
  });

  const trigger = (operation: string) =>
    startRun(db, fx.admin, { environmentId: fx.env.id, app: "web", operation });

  /** Runs `operation` to its end; checks it ended soon after its last output, leaving none of `left` running. */
  async function runToEnd(operation: string, left: number[]) {
    const run = await trigger(operation);
    const done = await waitForRunEnd(db, run.id, 10000);
    const log = await storedLog(db, run.id);
    const output = log.chunks.filter((c) => c.stream !== "system");
    const lastOutput = output.at(-1)?.at ?? done.startedAt!;
    expect(done.finishedAt!.getTime() - lastOutput.getTime()).toBeLessThan(3000);
    for (const n of left) expect(processesMatching(`sleep ${n}`)).toEqual([]);
    return { done, log };
  }

  it("setsid child, then exit 0: success, and the log says what was ended", async () => {
    const { done, log } = await runToEnd("setsid-and-exit", [s.setsid]);
    expect(done).toMatchObject({ state: "complete", result: "success", exitCode: 0 });
    expect(log.byStream("system")).toMatch(
      /^\[runops\] the command's shell exited; ending what it left running: \d+ \(sleep\)\n$/,
    );
  });

  it("a background child with its output redirected, then exit 0: same", async () => {
    const { done, log } = await runToEnd("redirected-and-exit", [s.redirected]);
    expect(done).toMatchObject({ state: "complete", result: "success", exitCode: 0 });
    expect(log.byStream("system")).toMatch(/ending what it left running: \d+ \(sleep\)\n$/);
  });

  it("a background sleep does not keep the run going: it ends in seconds, not when the sleep would", async () => {
    const { done, log } = await runToEnd("background", [s.background]);
    expect(done).toMatchObject({ state: "complete", result: "success" });
    expect(log.byStream("stdout")).toBe("done\n");
    expect(done.finishedAt!.getTime() - done.startedAt!.getTime()).toBeLessThan(3000);
  });

  it("double-forked and nohup children are ended too", async () => {
    const { done, log } = await runToEnd("double-fork", [s.nohup, s.doubleFork]);
    expect(done).toMatchObject({ state: "complete", result: "success" });
    expect(log.byStream("stdout")).toBe("forked\n");
    expect(log.byStream("system")).toMatch(/ending what it left running: \d+ \(sleep\), \d+ \(sleep\)\n$/);
  });

  it("a grandchild holding stdout does not hold the run open", async () => {
    const { done, log } = await runToEnd("holds-stdout", [s.holdsStdout]);
    expect(done).toMatchObject({ state: "complete", result: "success" });
    expect(log.byStream("stdout")).toBe("bye\n");
  });

  it("cancel: an escaped child that ignores SIGTERM is killed after the grace period", async () => {
    const run = await trigger("escaped-ignores-term");
    await waitForLogText(db, run.id, "ready");
    const cancelledAt = Date.now();
    await cancelRun(db, fx.admin, run.id);
    const done = await waitForRunEnd(db, run.id, 10000);
    expect(done).toMatchObject({ state: "cancelled", result: "failure", reason: "cancelled by admin" });
    expect(done.finishedAt!.getTime() - cancelledAt).toBeLessThan(GRACE_MS + 1000);
    expect((await storedLog(db, run.id)).byStream("system")).toContain("sending SIGKILL");
    expect(processesMatching(`sleep ${s.escaped}`)).toEqual([]);
  });

  it("cancel: a shell that ignores SIGTERM, waiting on its child, ends within the grace period", async () => {
    const run = await trigger("ignores-term");
    await waitForLogText(db, run.id, "ready");
    const cancelledAt = Date.now();
    await cancelRun(db, fx.admin, run.id);
    const done = await waitForRunEnd(db, run.id, 10000);
    expect(done).toMatchObject({ state: "cancelled", reason: "cancelled by admin", signal: "SIGKILL" });
    expect(done.finishedAt!.getTime() - cancelledAt).toBeLessThan(GRACE_MS + 1000);
    expect(processesMatching(`sleep ${s.trapped}`)).toEqual([]);
  });

  it("timeout: the same shell ends within the grace period after its timeout", async () => {
    const run = await trigger("ignores-term-timeout");
    const done = await waitForRunEnd(db, run.id, 10000);
    expect(done).toMatchObject({ state: "cancelled", reason: "timed out after 1s", signal: "SIGKILL" });
    const ranFor = done.finishedAt!.getTime() - done.startedAt!.getTime();
    expect(ranFor).toBeGreaterThanOrEqual(1000);
    expect(ranFor).toBeLessThan(1000 + GRACE_MS + 1000);
    expect(processesMatching(`sleep ${s.trappedTimeout}`)).toEqual([]);
  });
});
