// Several real `runops worker` processes claim from one database at once: every
// run is spawned exactly once, and the runs of one operation start one after
// another, in the order they were triggered.
import { readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../../lib/db/client";
import { newId } from "../../../lib/ids";
import { claimNextRun, claimRuns, createRunClaimer } from "../../../lib/runs/claim-run";
import { startRun } from "../../../lib/runs/start-run";
import { BACKENDS, type Fixture, freshDatabase, seedFixture, waitFor } from "../../support/harness";
import {
  type TestConsole,
  type WorkerProcess,
  killWorkers,
  socketDir,
  startTestConsole,
  startWorkerProcess,
} from "../../support/worker-process";
import { endRunProcesses } from "./support";

const WORKERS = 4;
const CONCURRENCY = 4;
const OPERATIONS = 10;
const RUNS = 100;
/**
 * Not the 300 ms of the other worker tests: 4 workers, 10 commands and the
 * test on 2 cores can delay a heartbeat past such a short lease, and a run
 * ended for a lost lease would hide what this test looks at.
 */
const HEARTBEAT_MS = 2000;

/**
 * Each command writes a line when it starts and one when it ends to one file
 * shared by all runs (appends of a short line are atomic): the file is what
 * was spawned, in the order it happened, whatever the database says.
 */
const config = (events: string) => `
applications:
  web:
    source:
      root: app
    operations:
${Array.from(
  { length: OPERATIONS },
  (_, i) => `      op-${i}:
        commands:
          start: 'echo "start $RUNOPS_RUN_ID" >> ${events}; sleep 0.1; echo "end $RUNOPS_RUN_ID" >> ${events}'
`,
).join("")}${["solo", "solo-b", "solo-c"]
  .map((name) => `      ${name}:\n        commands:\n          start: 'true'\n`)
  .join("")}`;

describe.each(BACKENDS)("workers racing for runs on %s", (provider) => {
  let db: Db;
  let url: string;
  let fx: Fixture;
  let hub: TestConsole;
  let socketPath: string;
  let events: string;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    const fresh = await freshDatabase(provider, "claim_race");
    const sock = socketDir();
    db = fresh.db;
    url = fresh.url;
    socketPath = sock.socketPath;
    events = path.join(path.dirname(socketPath), "events.log");
    fx = await seedFixture(db, config(events));
    hub = await startTestConsole({ db, url, socketPath, heartbeatMs: HEARTBEAT_MS });
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

  it("claims a run as Prisma reads it: the whole snapshot, with its types, through Prisma and through the worker process's claimer", async () => {
    const worker = { id: "in-test", label: "in-test (pid 0 on here)" };
    const claimer = createRunClaimer(db, url);
    const ways = {
      claimNextRun: () => claimNextRun(db, provider, worker, 10_000),
      createRunClaimer: async () => (await claimer.claim(worker, 10_000, 1))[0] ?? null,
    };
    try {
      for (const [way, claim] of Object.entries(ways)) {
        const run = await startRun(db, fx.admin, { environmentId: fx.env.id, app: "web", operation: "solo" });
        const claimed = await claim();
        expect(claimed, way).toEqual(await db.run.findUniqueOrThrow({ where: { id: run.id } }));
        expect(claimed).toMatchObject({
          id: run.id,
          state: "in_progress",
          workerId: "in-test",
          logBytes: 0n,
        });
        expect(claimed?.startedAt).toBeInstanceOf(Date);
        expect(claimed!.leaseUntil!.getTime() - claimed!.startedAt!.getTime()).toBe(10_000);
        // The claim's clock is this machine's: startedAt is now, not hours off (a zone mix-up).
        expect(Math.abs(claimed!.startedAt!.getTime() - Date.now())).toBeLessThan(60_000);
        await db.run.update({ where: { id: run.id }, data: { state: "complete", result: "success" } });
      }
    } finally {
      await claimer.close();
    }
  });

  it("claims several runs at once: the oldest runnable ones, one per queue", async () => {
    const trigger = (operation: string) =>
      startRun(db, fx.admin, { environmentId: fx.env.id, app: "web", operation });
    const a1 = await trigger("solo");
    const a2 = await trigger("solo");
    const b1 = await trigger("solo-b");
    const c1 = await trigger("solo-c");
    const worker = { id: "in-test", label: "in-test (pid 0 on here)" };
    const claimed = await claimRuns(db, provider, worker, 10_000, 3);
    // a2 waits behind a1, whatever room the worker has.
    expect(claimed.map((r) => r.id)).toEqual([a1.id, b1.id, c1.id]);
    expect(claimed.map((r) => r.state)).toEqual(["in_progress", "in_progress", "in_progress"]);
    for (const r of claimed) expect(r).toEqual(await db.run.findUniqueOrThrow({ where: { id: r.id } }));
    expect(await claimRuns(db, provider, worker, 10_000, 3)).toEqual([]);
    await db.run.updateMany({
      where: { id: { in: claimed.map((r) => r.id) } },
      data: { state: "complete", result: "success" },
    });
    expect((await claimRuns(db, provider, worker, 10_000, 3)).map((r) => r.id)).toEqual([a2.id]);
    await db.run.update({ where: { id: a2.id }, data: { state: "complete", result: "success" } });
  });

  it("a run that becomes visible late with an older id waits for the run of its queue in progress", async () => {
    // A trigger whose id was made first but whose insert commits only after a later trigger's run was claimed.
    const olderId = newId();
    const newer = await startRun(db, fx.admin, { environmentId: fx.env.id, app: "web", operation: "solo" });
    const worker = { id: "in-test", label: "in-test (pid 0 on here)" };
    expect((await claimNextRun(db, provider, worker, 10_000))?.id).toBe(newer.id);
    const claimed = await db.run.findUniqueOrThrow({ where: { id: newer.id } });
    await db.run.create({
      data: {
        ...claimed,
        id: olderId,
        state: "pending",
        workerId: null,
        workerLabel: null,
        startedAt: null,
        leaseUntil: null,
      },
    });
    expect(olderId < newer.id).toBe(true);

    expect(await claimNextRun(db, provider, worker, 10_000)).toBeNull();
    await db.run.update({ where: { id: newer.id }, data: { state: "complete", result: "success" } });
    expect((await claimNextRun(db, provider, worker, 10_000))?.id).toBe(olderId);
    await db.run.update({ where: { id: olderId }, data: { state: "complete", result: "success" } });
  });

  it(`${WORKERS} workers × ${CONCURRENCY}: each of ${RUNS} runs spawned once, each operation's runs one at a time in trigger order`, async () => {
    rmSync(events, { force: true });
    const workers: WorkerProcess[] = await Promise.all(
      Array.from({ length: WORKERS }, (_, i) =>
        startWorkerProcess({
          url,
          socketPath,
          env: { RUNOPS_WORKER_NAME: `racer-${i}`, RUNOPS_HEARTBEAT_MS: String(HEARTBEAT_MS) },
          args: ["--concurrency", String(CONCURRENCY)],
        }),
      ),
    );
    // Held while the runs are triggered: then every queue is ten deep, and all four workers,
    // woken by the same 100 "created" events, start claiming at the same instant.
    for (const w of workers) w.kill("SIGSTOP");
    const runs: Array<{ id: string; queueKey: string }> = [];
    for (let i = 0; i < RUNS; i++) {
      const run = await startRun(db, fx.admin, {
        environmentId: fx.env.id,
        app: "web",
        operation: `op-${i % OPERATIONS}`,
      });
      runs.push({ id: run.id, queueKey: run.queueKey });
    }
    for (const w of workers) w.kill("SIGCONT");
    const ended = await waitFor(
      async () => {
        const rows = await db.run.findMany({ where: { id: { in: runs.map((r) => r.id) } } });
        return rows.every((r) => r.state === "complete") ? rows : undefined;
      },
      60_000,
      `all ${RUNS} runs to complete`,
    );

    expect(ended.filter((r) => r.result !== "success").map((r) => r.reason)).toEqual([]);
    const lines = readFileSync(events, "utf8").trim().split("\n");
    // Spawns, not states: every run id appears on exactly one "start" line.
    const starts = lines.filter((l) => l.startsWith("start ")).map((l) => l.slice("start ".length));
    expect(starts.toSorted()).toEqual(runs.map((r) => r.id).toSorted());
    // Within a queue: start, end, start, end … in id order (never two at once, never out of order).
    for (let op = 0; op < OPERATIONS; op++) {
      const queue = runs.filter((_, i) => i % OPERATIONS === op).map((r) => r.id);
      const mine = new Set(queue);
      const seen = lines.filter((l) => mine.has(l.split(" ")[1] ?? ""));
      expect(seen, `op-${op}`).toEqual(queue.toSorted().flatMap((id) => [`start ${id}`, `end ${id}`]));
    }
    // The order above was not a given: runs waited behind others of their queue.
    const finishedAt = new Map(ended.map((r) => [r.id, r.finishedAt?.getTime() ?? 0]));
    const waited = ended.filter((r) => {
      const before = runs.filter((o) => o.queueKey === r.queueKey && o.id < r.id).map((o) => o.id);
      return before.some((id) => (finishedAt.get(id) ?? 0) > r.createdAt.getTime());
    });
    expect(waited.length).toBeGreaterThan(RUNS / 2);
    // It was a race: the runs were spread over the workers (each claims only when it has room).
    const byWorker = new Set(ended.map((r) => r.workerId));
    expect(byWorker.size).toBeGreaterThan(1);
    // No claim failed on the way (a failed claim leaves its runs to the next event or the 5 s poll).
    expect(workers.flatMap((w) => w.logs()).filter((l) => l.level >= 50)).toEqual([]);
    for (const w of workers) w.kill("SIGTERM");
    for (const w of workers) expect(await w.exited).toEqual({ code: 0, signal: null });
  });
});
