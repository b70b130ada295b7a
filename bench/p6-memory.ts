/**
 * P6 — console RSS and worker RSS while one run streams 1 GiB.
 * Baseline: each process's idle RSS (after a warm-up run and requests, median of 3 s of samples).
 * Goal: each peak ≤ its idle + 150 MB.
 *
 * The per-run log cap is raised to 2 GiB (RUNOPS_LOG_CAP_BYTES) so all of it is kept. One SSE
 * viewer follows the run from the 202 to the `end` event, decoding every chunk (as the CLI does);
 * the VmRSS of the console (next-server: reads the stored chunks, streams them) and of the worker
 * (runs the command, stores its output) are sampled every 100 ms meanwhile. A commit from before
 * the worker split is one process: the console row is all of it and the worker row says "—".
 * The stored size and the bytes the viewer decoded must both be 1 GiB.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { linesCommand } from "./support/baseline";
import { createFixture } from "./support/fixture";
import { Api, chunkText, isEndEvent, parseEvent } from "./support/http";
import { RssSampler, rssBytes } from "./support/proc";
import { runStandalone } from "./support/runner";
import { memoryAtPeak, startServer } from "./support/server";
import { MiB, mb, ms, summarize } from "./support/stats";
import { type BenchContext, type Benchmark, type Row, verdict } from "./support/types";

const BYTES = 1024 * MiB;
const COMMAND = linesCommand(BYTES);
const GROWTH_LIMIT = 150e6;

async function follow(api: Api, runId: string): Promise<{ bytes: number; ended: boolean }> {
  let bytes = 0;
  let ended = false;
  let resolveEnd!: () => void;
  const end = new Promise<void>((r) => (resolveEnd = r));
  const conn = api.sse(runId, (block) => {
    const event = parseEvent(block);
    if (event?.event === "chunk") bytes += Buffer.byteLength(chunkText(event), "utf8");
    if (isEndEvent(block)) {
      ended = true;
      resolveEnd();
    }
  });
  await Promise.race([end, conn.done]);
  conn.close();
  return { bytes, ended };
}

export const p6: Benchmark = {
  id: "p6",
  title: "console and worker RSS while one run streams 1 GiB",
  async run(ctx: BenchContext) {
    const server = await startServer({
      source: ctx.source,
      name: "p6",
      env: { RUNOPS_LOG_CAP_BYTES: String(2 * 1024 * MiB) },
      cpuProfileDir: ctx.cpuProfileDir,
    });
    const fx = await createFixture(server, ctx.source, { warm: "echo warm", "print-1g": COMMAND });
    const api = new Api(server.url, fx.token);
    try {
      // Warm the routes and the worker, then let the server settle.
      for (let i = 0; i < 3; i++) {
        const run = await api.trigger(fx.project, "main", "warm");
        await follow(api, run.id);
        await api.run(run.id);
      }
      await sleep(2000);
      const idleConsole: number[] = [];
      const idleWorker: number[] = [];
      for (let i = 0; i < 30; i++) {
        idleConsole.push(rssBytes(server.consolePid) ?? NaN);
        const worker = server.currentWorkerPid();
        if (worker !== null) idleWorker.push(rssBytes(worker) ?? NaN);
        await sleep(100);
      }
      const idle = summarize(idleConsole).median;
      const idleW = idleWorker.length > 0 ? summarize(idleWorker).median : null;
      ctx.log(
        `idle RSS: console ${mb(idle)}, worker ${idleW === null ? "— (no worker process)" : mb(idleW)}; ` +
          "streaming 1 GiB to one viewer",
      );

      const rss = new RssSampler(server.consolePid, 100);
      const workerRss = new RssSampler(() => server.currentWorkerPid(), 100);
      const t0 = Date.now();
      const run = await api.trigger(fx.project, "main", "print-1g");
      const viewer = await follow(api, run.id);
      const viewerMs = Date.now() - t0;
      const memory = rss.stop();
      const workerMemory = workerRss.stop();
      const done = await api.waitForEnd(run.id, { everyMs: 100 });
      const runMs = Date.parse(done.finishedAt ?? "") - t0;
      const complete =
        done.result === "success" && done.logBytes === BYTES && viewer.ended && viewer.bytes === BYTES;
      const peak = memory.max ?? NaN;
      const growth = peak - idle;
      const workerPeak = workerMemory.max;
      const workerGrowth = workerPeak !== null && idleW !== null ? workerPeak - idleW : null;
      const breakdown = memoryAtPeak(server.memory(t0, Date.now(), "console"));
      const workerBreakdown = memoryAtPeak(server.memory(t0, Date.now(), "worker"));
      ctx.log(`console ${breakdown.summary}`);
      if (server.workerPid !== null) ctx.log(`worker ${workerBreakdown.summary}`);
      if (workerMemory.pids.length > 1) ctx.log(`the worker restarted: pids ${workerMemory.pids.join(", ")}`);
      ctx.log(
        `peak RSS console ${mb(peak)} (+${mb(growth)}), worker ` +
          `${workerPeak === null ? "—" : `${mb(workerPeak)} (+${mb(workerGrowth ?? NaN)})`}, run ${ms(runMs)}, ` +
          `viewer done ${ms(viewerMs)}, stored ${done.logBytes} B, viewer decoded ${viewer.bytes} B`,
      );
      const workerRow: Row =
        workerPeak === null || idleW === null
          ? {
              id: "P6",
              measure: "worker RSS, peak while one run streams 1 GiB (+ growth)",
              runops: "—",
              baseline: "(no worker process)",
              goal: "goal ≤ idle + 150 MB",
              verdict: "info",
            }
          : {
              id: "P6",
              measure: "worker RSS, peak while one run streams 1 GiB (+ growth)",
              runops: `${mb(workerPeak)} (+${mb(workerGrowth ?? NaN)})`,
              baseline: `${mb(idleW)} idle`,
              goal: "goal ≤ idle + 150 MB",
              verdict: verdict((workerGrowth ?? Infinity) <= GROWTH_LIMIT),
            };
      return {
        rows: [
          {
            id: "P6",
            measure: "console RSS, peak while one run streams 1 GiB (+ growth)",
            runops: `${mb(peak)} (+${mb(growth)})`,
            baseline: `${mb(idle)} idle${server.workerPid === null ? " (one process)" : ""}`,
            goal: "goal ≤ idle + 150 MB",
            verdict: verdict(growth <= GROWTH_LIMIT),
          },
          workerRow,
          {
            id: "P6",
            measure: "1 GiB stored and delivered to the viewer",
            runops: `${complete ? "complete" : "INCOMPLETE"}, ${ms(runMs)} (${(1024 / (runMs / 1000)).toFixed(0)} MiB/s)`,
            baseline: "",
            goal: "all bytes",
            verdict: verdict(complete),
          },
        ],
        data: {
          bytes: BYTES,
          consolePid: server.consolePid,
          workerPid: server.workerPid,
          workerPids: workerMemory.pids,
          idle,
          idleSamples: idleConsole,
          peak,
          growth,
          workerIdle: idleW,
          workerIdleSamples: idleWorker,
          workerPeak,
          workerGrowth,
          runMs,
          viewerMs,
          logBytes: done.logBytes,
          viewerBytes: viewer.bytes,
          rssSamples: memory.samples.filter((_, i) => i % 10 === 0),
          workerRssSamples: workerMemory.samples.filter((_, i) => i % 10 === 0),
          atPeak: breakdown.peak,
          workerAtPeak: workerBreakdown.peak,
        },
      };
    } finally {
      api.close();
      await fx.close();
      await server.stop();
    }
  },
};

runStandalone(p6, import.meta.url);
