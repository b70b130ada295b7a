/**
 * P6 — server RSS while one run streams 1 GiB.
 * Baseline: the same server's idle RSS (after a warm-up run and requests, median of 3 s of samples).
 * Goal: peak RSS ≤ idle + 150 MB.
 *
 * The per-run log cap is raised to 2 GiB (RUNOPS_LOG_CAP_BYTES) so all of it is kept. One SSE
 * viewer follows the run from the 202 to the `end` event, decoding every chunk (as the CLI does);
 * the next-server's VmRSS is sampled every 100 ms meanwhile. The stored size and the bytes the
 * viewer decoded must both be 1 GiB.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { linesCommand } from "./support/baseline";
import { createFixture } from "./support/fixture";
import { Api, chunkText, isEndEvent, parseEvent } from "./support/http";
import { RssSampler, rssBytes } from "./support/proc";
import { runStandalone } from "./support/runner";
import { memoryAtPeak, startServer } from "./support/server";
import { MiB, mb, ms, summarize } from "./support/stats";
import { type BenchContext, type Benchmark, verdict } from "./support/types";

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
  title: "server RSS while one run streams 1 GiB",
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
      const idleSamples: number[] = [];
      for (let i = 0; i < 30; i++) {
        idleSamples.push(rssBytes(server.serverPid) ?? NaN);
        await sleep(100);
      }
      const idle = summarize(idleSamples).median;
      ctx.log(`idle RSS ${mb(idle)}; streaming 1 GiB to one viewer`);

      const rss = new RssSampler(server.serverPid, 100);
      const t0 = Date.now();
      const run = await api.trigger(fx.project, "main", "print-1g");
      const viewer = await follow(api, run.id);
      const viewerMs = Date.now() - t0;
      const memory = rss.stop();
      const done = await api.waitForEnd(run.id, { everyMs: 100 });
      const runMs = Date.parse(done.finishedAt ?? "") - t0;
      const complete =
        done.result === "success" && done.logBytes === BYTES && viewer.ended && viewer.bytes === BYTES;
      const growth = memory.max - idle;
      const breakdown = memoryAtPeak(server.memory(t0, Date.now()));
      ctx.log(breakdown.summary);
      ctx.log(
        `peak RSS ${mb(memory.max)} (+${mb(growth)}), run ${ms(runMs)}, viewer done ${ms(viewerMs)}, ` +
          `stored ${done.logBytes} B, viewer decoded ${viewer.bytes} B`,
      );
      return {
        rows: [
          {
            id: "P6",
            measure: "server RSS, peak while one run streams 1 GiB (+ growth)",
            runops: `${mb(memory.max)} (+${mb(growth)})`,
            baseline: `${mb(idle)} idle`,
            goal: "goal ≤ idle + 150 MB",
            verdict: verdict(growth <= GROWTH_LIMIT),
          },
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
          idle,
          idleSamples,
          peak: memory.max,
          growth,
          runMs,
          viewerMs,
          logBytes: done.logBytes,
          viewerBytes: viewer.bytes,
          rssSamples: memory.samples.filter((_, i) => i % 10 === 0),
          atPeak: breakdown.peak,
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
