import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../../lib/db/client";
import { cancelRun } from "../../../lib/runs/cancel-run";
import { startRun } from "../../../lib/runs/start-run";
import {
  BACKENDS,
  type Fixture,
  freshDatabase,
  seedFixture,
  startWorker,
  storedLog,
  waitFor,
  waitForRunEnd,
} from "../../support/harness";
import { processesOfGroup } from "../../support/processes";
import { RUNS_CONFIG } from "./config";

describe.each(BACKENDS)("a run's life on %s", (provider) => {
  let db: Db;
  let fx: Fixture;
  let cleanup: () => Promise<void>;
  let stopWorker: () => Promise<void>;

  beforeAll(async () => {
    const fresh = await freshDatabase(provider, "lifecycle");
    db = fresh.db;
    fx = await seedFixture(db, RUNS_CONFIG);
    const { worker, ready } = startWorker(db, provider, fresh.url);
    await ready;
    stopWorker = () => worker.stop();
    cleanup = async () => {
      await stopWorker();
      fx.cleanup();
      await fresh.cleanup();
    };
  });
  afterAll(async () => cleanup?.());

  const trigger = (operation: string, actor = fx.admin) =>
    startRun(db, actor, { environmentId: fx.env.id, app: "web", operation });

  it("runs in the app's directory with the PLATFORM_* variables and the app's env, and succeeds", async () => {
    const run = await trigger("hello", fx.viewer);
    expect(run.state).toBe("pending");
    const done = await waitForRunEnd(db, run.id);
    expect(done).toMatchObject({ state: "complete", result: "success", exitCode: 0, source: "console" });
    expect(done.startedAt).not.toBeNull();
    expect(done.finishedAt).not.toBeNull();
    const log = await storedLog(db, run.id);
    expect(log.text).toBe(
      [
        "hi from web",
        fx.appDir,
        `feature-x|development|feature-x|${fx.project.slug}|${fx.appDir}`,
        "hello there",
        "no server secrets",
        "",
      ].join("\n"),
    );
    expect(log.chunks.map((c) => c.seq)).toEqual(log.chunks.map((_, i) => i + 1));
  });

  it("records a failing command's exit code and keeps stderr", async () => {
    const run = await trigger("fails");
    const done = await waitForRunEnd(db, run.id);
    expect(done).toMatchObject({
      state: "complete",
      result: "failure",
      exitCode: 3,
      reason: "exited with code 3",
    });
    const log = await storedLog(db, run.id);
    expect(log.byStream("stdout")).toBe("working\n");
    expect(log.byStream("stderr")).toBe("it broke\n");
  });

  it("keeps interleaved stdout and stderr in the order they were printed", async () => {
    const run = await trigger("interleave");
    await waitForRunEnd(db, run.id);
    const log = await storedLog(db, run.id);
    const lines = log.chunks.flatMap((c) =>
      c.data
        .toString("utf8")
        .split("\n")
        .filter(Boolean)
        .map((l) => `${c.stream}:${l}`),
    );
    const expected = [1, 2, 3, 4, 5].flatMap((i) => [`stdout:out ${i}`, `stderr:err ${i}`]);
    expect(lines).toEqual(expected);
  });

  it("stores every byte, even output that is not UTF-8", async () => {
    const run = await trigger("big");
    await waitForRunEnd(db, run.id);
    const log = await storedLog(db, run.id);
    const produced = readFileSync(path.join(fx.appDir, "big.bin"));
    expect(
      Buffer.concat(log.chunks.filter((c) => c.stream === "stdout").map((c) => c.data)).equals(produced),
    ).toBe(true);
    const stored = await db.run.findUniqueOrThrow({ where: { id: run.id } });
    expect(Number(stored.logBytes)).toBe(produced.length);
    expect(stored.logSeq).toBe(log.chunks.length);
  });

  it("cuts the log at the per-run cap and says so", async () => {
    const run = await trigger("huge");
    const done = await waitForRunEnd(db, run.id);
    expect(done.result).toBe("success");
    expect(done.logTruncated).toBe(true);
    const log = await storedLog(db, run.id);
    expect(log.byStream("stdout")).toBe("x".repeat(1024 * 1024));
    expect(log.byStream("system")).toContain("log limit of 1048576 bytes reached");
    expect(log.byStream("system")).toContain("bytes of output past the log limit were discarded");
  });

  it("cancels a command that ignores SIGTERM and has children: stop command, then SIGKILL, no process left", async () => {
    const run = await trigger("stubborn");
    const ready = await waitFor(async () => {
      const log = await storedLog(db, run.id);
      return log.text.includes("ready") ? log.text : undefined;
    });
    const pgid = Number(/pgid (\d+)/.exec(ready)?.[1]);
    expect(processesOfGroup(pgid).length).toBeGreaterThan(0);
    await cancelRun(db, fx.contributor, run.id);
    const done = await waitForRunEnd(db, run.id);
    expect(done).toMatchObject({ state: "cancelled", result: "failure", reason: "cancelled by contributor" });
    expect(done.signal).toBe("SIGKILL");
    expect(processesOfGroup(pgid)).toEqual([]);
    const log = await storedLog(db, run.id);
    expect(log.byStream("stdout")).toContain("stop command ran");
    expect(log.byStream("system")).toContain("sending SIGKILL");
    expect(log.text).not.toContain("never");
  });

  it("ends a command that stops on SIGTERM without needing SIGKILL", async () => {
    const run = await trigger("polite");
    await waitFor(async () => (await storedLog(db, run.id)).text.includes("ready"));
    await cancelRun(db, fx.admin, run.id);
    const done = await waitForRunEnd(db, run.id);
    expect(done).toMatchObject({ state: "cancelled", signal: "SIGTERM" });
    expect((await storedLog(db, run.id)).byStream("system")).not.toContain("SIGKILL");
  });

  it("times out after the operation's timeout and records why", async () => {
    const run = await trigger("slow");
    const done = await waitForRunEnd(db, run.id);
    expect(done).toMatchObject({ state: "cancelled", result: "failure", reason: "timed out after 1s" });
    const log = await storedLog(db, run.id);
    expect(log.byStream("stdout")).toBe("started\n");
    expect(log.byStream("system")).toContain("timed out after 1s");
  });

  it("queues runs of the same operation, and runs different operations side by side", async () => {
    const release = path.join(fx.appDir, "release");
    const releaseOther = path.join(fx.appDir, "release-other");
    const first = await trigger("gated");
    const second = await trigger("gated");
    const other = await trigger("gated-other");
    await waitFor(
      async () => {
        const runs = await db.run.findMany({ where: { id: { in: [first.id, other.id] } } });
        return runs.every((r) => r.state === "in_progress");
      },
      20000,
      "first and other in progress",
    );
    expect((await db.run.findUniqueOrThrow({ where: { id: second.id } })).state).toBe("pending");

    writeFileSync(releaseOther, "");
    await waitForRunEnd(db, other.id);
    // The other operation's end does not release the queue of "gated".
    expect((await db.run.findUniqueOrThrow({ where: { id: second.id } })).state).toBe("pending");

    writeFileSync(release, "");
    const firstDone = await waitForRunEnd(db, first.id);
    const secondDone = await waitForRunEnd(db, second.id);
    expect(secondDone.result).toBe("success");
    expect(secondDone.startedAt!.getTime()).toBeGreaterThanOrEqual(firstDone.finishedAt!.getTime());
    expect(existsSync(release)).toBe(true);
  });

  it("cancels a pending run at once", async () => {
    rmSync(path.join(fx.appDir, "release"), { force: true });
    const first = await trigger("gated");
    const queued = await trigger("gated");
    await waitFor(
      async () => (await db.run.findUniqueOrThrow({ where: { id: first.id } })).state === "in_progress",
    );
    const cancelled = await cancelRun(db, fx.admin, queued.id);
    expect(cancelled).toMatchObject({ state: "cancelled", result: "failure", reason: "cancelled by admin" });
    expect(cancelled.startedAt).toBeNull();
    await cancelRun(db, fx.admin, first.id);
    expect((await waitForRunEnd(db, first.id)).state).toBe("cancelled");
  });
});
