/**
 * P1 — API trigger → first log byte at an SSE client, for `echo hi`.
 * Baseline: a bare spawn of `/bin/sh -c "echo hi"` → its first stdout byte.
 * Goal: p50 ≤ 15 ms, p99 ≤ 50 ms.
 *
 * Each iteration: POST …/runs with a bearer token; on the 202, GET /api/v1/runs/{id}/log (SSE);
 * the time from before the POST to the first `chunk` event parsed at the client. The run's `end`
 * event is awaited before the next iteration (runs of one operation queue). Baseline and runops
 * alternate, after a warm-up of both.
 */
import { bareSpawn } from "./support/baseline";
import { createFixture } from "./support/fixture";
import { Api, isEndEvent, parseEvent } from "./support/http";
import { runStandalone } from "./support/runner";
import { startServer } from "./support/server";
import { ms, ratio, summarize } from "./support/stats";
import { type BenchContext, type Benchmark, verdict } from "./support/types";

const COMMAND = "echo hi";

interface Sample {
  total: number;
  /** POST sent → 202 read. */
  trigger: number;
  /** 202 → SSE response headers. */
  open: number;
  /** SSE headers → first chunk event. */
  wait: number;
  /** Server clock: run created → claimed (startedAt), ms resolution. */
  claim: number;
}

async function runopsOnce(api: Api, project: string): Promise<Sample> {
  const wallStart = Date.now();
  const t0 = performance.now();
  const run = await api.trigger(project, "main", "echo-hi");
  const t202 = performance.now();
  let first = 0;
  let ended!: () => void;
  const end = new Promise<void>((resolve) => (ended = resolve));
  const conn = api.sse(run.id, (block) => {
    if (first === 0) {
      const event = parseEvent(block);
      if (event?.event === "chunk" && event.data.includes('"text"')) first = performance.now();
    }
    if (isEndEvent(block)) ended();
  });
  await Promise.race([
    end,
    conn.done.then(() => Promise.reject(new Error(`run ${run.id}: stream closed early`))),
  ]);
  conn.close();
  if (first === 0) throw new Error(`run ${run.id} ended without a chunk event`);
  const after = await api.run(run.id);
  if (after.result !== "success")
    throw new Error(`run ${run.id} ended ${after.state}/${after.result}: ${after.reason}`);
  const created = Date.parse(after.createdAt);
  const started = Date.parse(after.startedAt ?? "");
  void wallStart;
  return {
    total: first - t0,
    trigger: t202 - t0,
    open: conn.headersAt - t202,
    wait: first - conn.headersAt,
    claim: started - created,
  };
}

async function baselineOnce(cwd: string): Promise<number> {
  const bare = await bareSpawn(COMMAND, cwd);
  if (bare.firstByteAt === null || bare.exitCode !== 0) throw new Error(`baseline ${COMMAND} failed`);
  return bare.firstByteAt - bare.startedAt;
}

export const p1: Benchmark = {
  id: "p1",
  title: "API trigger → first log byte at an SSE client (echo hi)",
  async run(ctx: BenchContext) {
    const server = await startServer({ source: ctx.source, name: "p1", cpuProfileDir: ctx.cpuProfileDir });
    const fx = await createFixture(server, ctx.source, { "echo-hi": COMMAND });
    const api = new Api(server.url, fx.token);
    try {
      const warmup = ctx.quick ? 5 : 30;
      const n = ctx.quick ? 50 : 400;
      ctx.log(`warm-up ${warmup}, then ${n} runs and ${n} bare spawns, alternating`);
      for (let i = 0; i < warmup; i++) {
        await runopsOnce(api, fx.project);
        await baselineOnce(fx.appDir);
      }
      const samples: Sample[] = [];
      const base: number[] = [];
      for (let i = 0; i < n; i++) {
        samples.push(await runopsOnce(api, fx.project));
        base.push(await baselineOnce(fx.appDir));
      }
      const total = summarize(samples.map((s) => s.total));
      const b = summarize(base);
      const parts = Object.fromEntries(
        (["trigger", "open", "wait", "claim"] as const).map((k) => [k, summarize(samples.map((s) => s[k]))]),
      );
      ctx.log(
        `runops p50 ${ms(total.median)} p99 ${ms(total.p99)}; bare spawn p50 ${ms(b.median)}; ` +
          `p50 parts: POST→202 ${ms(parts.trigger?.median ?? NaN)}, 202→SSE headers ${ms(parts.open?.median ?? NaN)}, ` +
          `headers→first chunk ${ms(parts.wait?.median ?? NaN)}, created→claimed ${ms(parts.claim?.median ?? NaN)}`,
      );
      return {
        rows: [
          {
            id: "P1",
            measure: `trigger → first SSE byte, p50 (n=${n})`,
            runops: ms(total.median),
            baseline: ms(b.median),
            goal: `${ratio(total.median, b.median)} · goal ≤ 15 ms`,
            verdict: verdict(total.median <= 15),
          },
          {
            id: "P1",
            measure: `trigger → first SSE byte, p99 (n=${n})`,
            runops: ms(total.p99),
            baseline: ms(b.p99),
            goal: `${ratio(total.p99, b.p99)} · goal ≤ 50 ms`,
            verdict: verdict(total.p99 <= 50),
          },
        ],
        data: { n, warmup, runops: total, baseline: b, parts, samples },
      };
    } finally {
      api.close();
      await fx.close();
      await server.stop();
    }
  },
};

runStandalone(p1, import.meta.url);
