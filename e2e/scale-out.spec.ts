// runops spread out as on several hosts: PostgreSQL, two consoles and two workers, each process
// with a data directory of its own, meeting only through the database and its LISTEN/NOTIFY run
// event channel. Runs are triggered through both consoles' HTTP API; what actually ran is counted
// from the records the commands write on the host, not from run states.
import type { Page } from "@playwright/test";
import type { RunView } from "../lib/runs/run-view";
import { expect, test } from "./fixtures";
import {
  FOLLOW_PART_1,
  FOLLOW_PART_2,
  HOLD_RELEASED,
  type ConsoleProcess,
  ScaleOut,
  USER,
  holdOperation,
  holdStarted,
  mapLimit,
  payloadLog,
  payloadOperation,
  waitFor,
} from "./support/scale-out";

/**
 * Short, so that a lost worker's runs end within seconds (3 heartbeats), yet a live worker's
 * lease (2 heartbeats) outlasts the heartbeats it misses on a busy host: on this suite's 2-CPU
 * machine, beside the other consoles and workers, a live worker went up to 1.7 s without a
 * heartbeat, and at 500 ms (a 1 s lease) runs of a live worker were ended as lost.
 */
const HEARTBEAT_MS = 1000;
const OPERATIONS = 20;
const RUNS_PER_OPERATION = 10;

test.describe.configure({ mode: "serial", timeout: 90_000 });

let so: ScaleOut;

test.beforeAll(async () => {
  so = new ScaleOut({ heartbeatMs: HEARTBEAT_MS });
  await so.start();
});

/** Errors logged by the installation's processes that an earlier test already reported. */
const reported = new Set<string>();

test.afterEach(async ({}, testInfo) => {
  if (!so) return;
  // Whatever the test did, no process of the installation logged an error meanwhile.
  const errors = so.errorsLogged().filter((e) => !reported.has(e));
  for (const e of errors) reported.add(e);
  if (testInfo.status !== testInfo.expectedStatus) {
    await testInfo.attach("processes.log", { body: so.diagnostics(), contentType: "text/plain" });
  }
  expect(errors, "errors logged by the consoles and workers").toEqual([]);
});

test.afterAll(async () => {
  await so?.stop();
});

/** The worker a run was executed by, from its `executedBy` ("worker-2 (pid 123 on host)"). */
function executor(run: RunView): { name: string; pid: number } | null {
  const m = /^(\S+) \(pid (\d+) on .+\)$/.exec(run.executedBy ?? "");
  return m?.[1] && m[2] ? { name: m[1], pid: Number(m[2]) } : null;
}

/** Triggers an operation through one console or the other, alternately. */
const through = (i: number): ConsoleProcess => (i % 2 === 0 ? so.a : so.b);

/**
 * Both workers busy: one run of each hold operation (8 queues), triggered through both
 * consoles, until all run. Each worker runs at most 4 at once, so each holds exactly 4.
 */
async function fillBothWorkers() {
  const triggered = await Promise.all(
    Array.from({ length: so.holds }, (_, i) => through(i).api.trigger(holdOperation(i + 1))),
  );
  const running = await waitFor(
    async () => {
      const runs = await Promise.all(triggered.map((r) => so.a.api.run(r.id)));
      return runs.every((r) => r.state === "in_progress") ? runs : undefined;
    },
    20_000,
    "the hold runs to be in progress",
  );
  const on = (name: string) => running.filter((r) => executor(r)?.name === name);
  expect(on("worker-1").length, "hold runs on worker-1").toBe(4);
  expect(on("worker-2").length, "hold runs on worker-2").toBe(4);
  return { all: running, worker1: on("worker-1"), worker2: on("worker-2") };
}

async function releaseAndCheck(runs: RunView[], worker: string) {
  for (const r of runs) so.release(r.id);
  const ended = await so.waitForEnd(
    runs.map((r) => r.id),
    15_000,
  );
  for (const run of ended) {
    expect(run, run.operation).toMatchObject({ state: "complete", result: "success", exitCode: 0 });
    expect(executor(run)?.name).toBe(worker);
    expect(await so.b.api.log(run.id)).toBe(holdStarted(run.operation) + HOLD_RELEASED);
    expect(so.recordsOf(run.operation).filter((l) => l.endsWith(run.id))).toEqual([
      `start ${run.id}`,
      `end ${run.id}`,
    ]);
  }
}

/** What differs between the runs' stored logs (read through the console that did not trigger them) and what they printed. */
async function logMismatches(runs: Array<{ run: RunView; via: ConsoleProcess }>) {
  const wrong = await mapLimit(runs, 8, async ({ run, via }) => {
    const other = via === so.a ? so.b : so.a;
    const expected = payloadLog(run.operation, run.id);
    const log = await other.api.log(run.id);
    return log === expected
      ? null
      : `${run.id} (${run.operation}): ${log.length} bytes, ${log.split("\n").length - 1} lines; expected ${expected.length} bytes`;
  });
  return wrong.filter((w) => w !== null);
}

async function signInOnConsoleB(page: Page) {
  await page.goto(`${so.b.origin}/signin`);
  await page.getByLabel("Email").fill(USER.email);
  await page.getByLabel("Password").fill(USER.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { name: "Projects" })).toBeVisible();
}

test("200 runs triggered through both consoles over 20 operations: each runs once, each queue in order, every log whole, on both workers", async () => {
  const started = Date.now();
  // The 20 queues are fed side by side; within one, each run is triggered once the previous
  // trigger was answered, alternately through console A and console B.
  const queues = await Promise.all(
    Array.from({ length: OPERATIONS }, async (_, i) => {
      const operation = payloadOperation(i + 1);
      const runs: Array<{ run: RunView; via: ConsoleProcess }> = [];
      for (let k = 0; k < RUNS_PER_OPERATION; k++) {
        const via = through(i + k);
        const run = await via.api.trigger(operation);
        expect(run).toMatchObject({ operation, state: "pending", source: "api" });
        runs.push({ run, via });
      }
      return { operation, runs };
    }),
  );
  const triggered = queues.flatMap((q) => q.runs);
  expect(new Set(triggered.map((t) => t.run.id)).size).toBe(OPERATIONS * RUNS_PER_OPERATION);

  const all = await waitFor(
    async () => {
      const runs = await so.b.api.runs();
      return runs.length === triggered.length && runs.every((r) => r.state === "complete") ? runs : undefined;
    },
    60_000,
    "all 200 runs to end",
    250,
  );
  const took = Date.now() - started;
  // Nothing but what was triggered, each ended well.
  expect(all.map((r) => r.id).sort()).toEqual(triggered.map((t) => t.run.id).sort());
  const unwell = all.filter((r) => r.result !== "success" || r.exitCode !== 0);
  expect(
    unwell.map((r) => `${r.id} ${r.operation}: ${r.state} ${r.result} ${r.exitCode} ${r.reason}`),
  ).toEqual([]);

  // Exactly once, in trigger order, never two of one queue at a time: on the host, each
  // operation's record is start/end of its runs one after the other, in the order triggered.
  for (const { operation, runs } of queues) {
    expect(so.recordsOf(operation), operation).toEqual(
      runs.flatMap(({ run }) => [`start ${run.id}`, `end ${run.id}`]),
    );
  }

  // Every log whole and exact, read through the other console than the one that triggered it.
  expect(await logMismatches(triggered)).toEqual([]);
  for (const run of all) expect(run.logBytes, run.id).toBe(payloadLog(run.operation, run.id).length);

  // Both workers took their share, and each run names the worker process that executed it.
  const pids = new Map(so.workers.map((w) => [w.name, w.process.pid]));
  const counts = new Map<string, number>();
  for (const run of all) {
    const by = executor(run);
    expect(by && pids.get(by.name), `${run.id} executed by ${run.executedBy}`).toBe(by?.pid);
    if (by) counts.set(by.name, (counts.get(by.name) ?? 0) + 1);
  }
  expect(counts.get("worker-1") ?? 0).toBeGreaterThan(0);
  expect(counts.get("worker-2") ?? 0).toBeGreaterThan(0);
  expect((counts.get("worker-1") ?? 0) + (counts.get("worker-2") ?? 0)).toBe(all.length);
  test.info().annotations.push({
    type: "throughput",
    description: `200 runs in ${took} ms; worker-1 ${counts.get("worker-1")}, worker-2 ${counts.get("worker-2")}`,
  });
});

test("a viewer on console B follows live a run triggered on console A that worker 2 executes, and cancels another", async ({
  page,
}) => {
  const worker2 = so.worker("worker-2").process;
  await signInOnConsoleB(page);
  const holds = await fillBothWorkers();

  // Triggered on A while both workers are full: it waits.
  const follow = await so.a.api.trigger("follow");
  await page.goto(`${so.b.origin}/runs/${follow.id}`);
  const log = page.getByRole("log", { name: "Run log" });
  const lines = log.locator("[data-line] .text");
  await expect(page.getByTestId("run-state")).toHaveText("pending");
  await expect(page.getByTestId("run-worker")).toHaveText("waiting for a worker");

  // One of worker 2's runs ends: worker 2 alone has room, and takes it.
  so.release(holds.worker2[0]!.id);
  await expect(page.getByTestId("run-worker")).toContainText(`worker-2 (pid ${worker2.pid} on `);
  await expect(page.getByTestId("run-state")).toHaveText("in progress");
  // Live: what it printed so far, while it waits for the release only this test gives.
  await expect(lines).toHaveText(FOLLOW_PART_1);
  expect((await so.a.api.run(follow.id)).state).toBe("in_progress");

  so.release(follow.id);
  await expect(lines).toHaveText([...FOLLOW_PART_1, ...FOLLOW_PART_2]);
  await expect(page.getByTestId("run-state")).toHaveText("complete");
  await expect(page.getByTestId("run-result")).toHaveText("success");
  const followed = await so.b.api.run(follow.id);
  expect(followed).toMatchObject({ state: "complete", result: "success", exitCode: 0 });
  expect(executor(followed)).toEqual({ name: "worker-2", pid: worker2.pid });
  expect(await so.b.api.log(follow.id)).toBe(
    [...FOLLOW_PART_1, ...FOLLOW_PART_2].map((l) => `${l}\n`).join(""),
  );
  expect(so.recordsOf("follow")).toEqual([`start ${follow.id}`, `end ${follow.id}`]);

  // Another, triggered on A, run by worker 2 (worker 1 is still full), cancelled from B's page.
  const second = await so.a.api.trigger("follow");
  await page.goto(`${so.b.origin}/runs/${second.id}`);
  await expect(page.getByTestId("run-worker")).toContainText(`worker-2 (pid ${worker2.pid} on `);
  await expect(lines.first()).toHaveText(FOLLOW_PART_1[0]!);
  await page.getByRole("button", { name: "Cancel" }).click();
  await expect(page.getByTestId("run-state")).toHaveText("cancelled");
  await expect(page.getByTestId("run-reason")).toContainText(`cancelled by ${USER.name}`);
  const cancelled = await so.a.api.run(second.id);
  expect(cancelled).toMatchObject({ state: "cancelled", cancelRequested: true });
  expect(cancelled.reason).toContain(`cancelled by ${USER.name}`);
  expect(await so.a.api.log(second.id)).toMatch(
    new RegExp(`^${FOLLOW_PART_1.map((l) => `${l}\n`).join("")}`),
  );
  // It was stopped where it waited: it never got to its end.
  expect(so.recordsOf("follow").filter((l) => l.endsWith(second.id))).toEqual([`start ${second.id}`]);

  await releaseAndCheck(holds.worker1, "worker-1");
  await releaseAndCheck(holds.worker2.slice(1), "worker-2");
});

test("kill -9 of a worker mid-run: its runs fail with the reason within 3 heartbeats, the other worker carries on, nothing runs again", async () => {
  const holds = await fillBothWorkers();
  // Mid-run: every command started on the host and printed its first line.
  await waitFor(
    async () => {
      for (const run of holds.all) {
        if (!so.recordsOf(run.operation).includes(`start ${run.id}`)) return false;
        if ((await so.a.api.log(run.id)) !== holdStarted(run.operation)) return false;
      }
      return true;
    },
    10_000,
    "every hold command to print its first line",
  );

  const worker1 = so.worker("worker-1").process;
  const killedAt = Date.now();
  worker1.kill("SIGKILL");
  expect((await worker1.exited).signal).toBe("SIGKILL");

  const lost = await so.waitForEnd(
    holds.worker1.map((r) => r.id),
    10 * HEARTBEAT_MS,
  );
  for (const run of lost) {
    expect(run, run.operation).toMatchObject({ state: "complete", result: "failure", exitCode: null });
    expect(run.reason).toContain(`worker-1 (pid ${worker1.pid} on `);
    expect(Date.parse(run.finishedAt ?? "") - killedAt, `${run.id} ended after the kill`).toBeLessThanOrEqual(
      3 * HEARTBEAT_MS,
    );
    // Its log is kept as it was.
    expect(await so.b.api.log(run.id)).toBe(holdStarted(run.operation));
  }
  // The other worker's runs go on, and end well once released.
  for (const run of holds.worker2) expect((await so.b.api.run(run.id)).state).toBe("in_progress");
  await releaseAndCheck(holds.worker2, "worker-2");

  // New runs, through both consoles, all on worker 2.
  const fresh = await Promise.all(
    Array.from({ length: OPERATIONS }, async (_, i) => {
      const via = through(i);
      return { run: await via.api.trigger(payloadOperation(i + 1)), via };
    }),
  );
  const done = await so.waitForEnd(
    fresh.map((f) => f.run.id),
    20_000,
  );
  for (const run of done) {
    expect(run, run.operation).toMatchObject({ state: "complete", result: "success", exitCode: 0 });
    expect(executor(run)?.name).toBe("worker-2");
  }
  expect(await logMismatches(fresh)).toEqual([]);

  // Nothing of the lost runs ran again: one spawn each, never an end.
  const spawnsOfLost = () =>
    lost.map((run) => [run.id, so.recordsOf(run.operation).filter((l) => l.endsWith(run.id))]);
  expect(spawnsOfLost()).toEqual(lost.map((run) => [run.id, [`start ${run.id}`]]));

  // Worker 1 comes back on its host: it ends what the killed one left running, and still
  // nothing runs again.
  expect(so.commandProcesses().length).toBeGreaterThan(0);
  await so.startWorker("worker-1");
  await waitFor(() => so.commandProcesses().length === 0, 5000, "the killed worker's commands to be ended");
  const again = await Promise.all(lost.map((run) => so.a.api.run(run.id)));
  expect(again).toEqual(lost);
  expect(spawnsOfLost()).toEqual(lost.map((run) => [run.id, [`start ${run.id}`]]));
});
