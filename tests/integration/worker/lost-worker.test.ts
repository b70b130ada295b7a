import { hostname } from "node:os";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../../lib/db/client";
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

const config = (hang: number, chatter: string) => `
applications:
  web:
    source:
      root: app
    operations:
      hello:
        commands:
          start: echo hello
      hang:
        commands:
          start: 'echo started; sleep ${hang}'
      chatter:
        commands:
          start: |
            ${chatter}=1
            i=0
            while :; do i=$((i+1)); echo "line $i"; sleep 0.1; done
`;

/** Waits until the run is no longer in progress (the reaper, or its worker, ended it). */
const waitForEnded = (db: Db, runId: string, ms: number) =>
  waitFor(
    async () => {
      const run = await runRow(db, runId);
      return run.state !== "in_progress" && run.state !== "pending" ? run : undefined;
    },
    ms,
    `run ${runId} to end`,
  );

describe.each(BACKENDS)("a lost worker process on %s", (provider) => {
  const hang = uniqueSleep(9981, provider);
  const chatter = `CHATTER_${uniqueSleep(9983, provider)}`;
  let db: Db;
  let url: string;
  let fx: Fixture;
  let hub: TestConsole;
  let socketPath: string;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    const fresh = await freshDatabase(provider, "lost_worker");
    const sock = socketDir();
    db = fresh.db;
    url = fresh.url;
    socketPath = sock.socketPath;
    fx = await seedFixture(db, config(hang, chatter));
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
    const left = processesLeft([`sleep ${hang}`, chatter]);
    await cleanup?.();
    expect(left).toEqual([]);
  });

  const trigger = (operation: string) =>
    startRun(db, fx.admin, { environmentId: fx.env.id, app: "web", operation });

  it("kill -9 mid-run: the run fails within 3 heartbeats, keeps its log, is not run again, and the next worker ends its orphan", async () => {
    const worker = await startWorkerProcess({ url, socketPath });
    const run = await trigger("hang");
    await waitForLogText(db, run.id, "started");
    const killedAt = Date.now();
    worker.kill("SIGKILL");
    expect((await worker.exited).signal).toBe("SIGKILL");
    // Nobody is left to end the command: it goes on running for now.
    expect(processesMatching(`sleep ${hang}`)).not.toEqual([]);

    const failed = await waitForEnded(db, run.id, 10 * TEST_HEARTBEAT_MS);
    expect(failed).toMatchObject({ state: "complete", result: "failure", exitCode: null });
    expect(failed.reason).toContain(`worker test-worker-process (pid ${worker.pid} on ${hostname()})`);
    expect(failed.reason).toContain("lease expired");
    expect(failed.finishedAt!.getTime() - killedAt).toBeLessThanOrEqual(3 * TEST_HEARTBEAT_MS);
    expect(hub.reaped).toContain(run.id);
    expect((await storedLog(db, run.id)).text).toBe("started\n");
    expect(processesMatching(`sleep ${hang}`)).not.toEqual([]);

    // A new worker on this host ends what the dead one left before it claims anything.
    const next = await startWorkerProcess({ url, socketPath });
    expect(processesMatching(`sleep ${hang}`)).toEqual([]);
    expect(next.logs().map((l) => l.msg)).toContainEqual(
      expect.stringMatching(new RegExp(`^ending what run ${run.id} left running: \\d+ \\((sh|sleep)\\)`)),
    );
    // At most once: the run is not started again, its end and log stay as recorded.
    const runs = await db.run.findMany({ where: { environmentId: fx.env.id } });
    expect(runs.map((r) => [r.id, r.state])).toEqual([[run.id, "complete"]]);
    expect(await runRow(db, run.id)).toEqual(failed);
    expect((await storedLog(db, run.id)).text).toBe("started\n");
    next.kill("SIGTERM");
    expect((await next.exited).code).toBe(0);
  });

  it("a stopped worker is fenced: after SIGCONT it records nothing more of the run the reaper ended and ends its processes", async () => {
    const worker = await startWorkerProcess({ url, socketPath });
    const run = await trigger("chatter");
    await waitForLogText(db, run.id, "line 3");
    // Stopped as it announces a stored batch, so that it holds no lock of the database while stopped.
    let stopped = false;
    const off = hub.channel().subscribe((m) => {
      if (m.type !== "output" || m.runId !== run.id || stopped) return;
      worker.kill("SIGSTOP");
      stopped = true;
      off();
    });
    await waitFor(() => stopped, 5000, "the next batch");

    const failed = await waitForEnded(db, run.id, 10 * TEST_HEARTBEAT_MS);
    expect(failed).toMatchObject({ state: "complete", result: "failure" });
    expect(failed.reason).toContain(`worker test-worker-process (pid ${worker.pid} on ${hostname()})`);
    expect(failed.reason).toContain("lease expired");
    // The stopped worker cannot end the command: it still prints into its pipe.
    expect(processesMatching(chatter)).not.toEqual([]);

    const resumedAt = Date.now();
    worker.kill("SIGCONT");
    await worker.waitForLog(
      "run was taken from this worker (lease lost): its output and end were not recorded",
    );
    await waitFor(() => processesMatching(chatter).length === 0, 3000, "the command's processes to end");
    expect(Date.now() - resumedAt).toBeLessThan(3000);

    // What the reaper recorded stands; the output buffered meanwhile was not stored.
    const after = await runRow(db, run.id);
    expect(after).toEqual(failed);
    const log = await storedLog(db, run.id);
    expect(log.chunks.map((c) => c.seq)).toEqual(log.chunks.map((_, i) => i + 1));
    expect(log.chunks.length).toBe(failed.logSeq);
    expect(log.byStream("system")).toBe("");

    // The worker goes on serving.
    const hello = await trigger("hello");
    expect(await waitForRunEnd(db, hello.id, 10000)).toMatchObject({ result: "success" });
    expect((await runRow(db, hello.id)).workerId).toBe(failed.workerId);
  });
});
