/**
 * P2 — a command printing 256 MiB: the run complete with the full log stored.
 * Baseline: the same command writing to a file.
 * Goal: ≤ 1.5× the baseline; the stored bytes' sha256 (GET log, Accept: text/plain) equals the
 * produced bytes' sha256.
 *
 * runops time: from before the POST (client clock) to the run's `finishedAt` (the server's clock,
 * the same machine), which is recorded after the last batch is stored. Completion is polled every
 * 250 ms, outside the measure. Baseline and runops alternate.
 */
import { createHash } from "node:crypto";
import { createReadStream, rmSync, statSync } from "node:fs";
import path from "node:path";
import { bareSpawn, linesCommand } from "./support/baseline";
import { createFixture } from "./support/fixture";
import { Api } from "./support/http";
import { runStandalone } from "./support/runner";
import { startServer } from "./support/server";
import { MiB, ms, ratio, summarize } from "./support/stats";
import { type BenchContext, type Benchmark, verdict } from "./support/types";

const BYTES = 256 * MiB;
const COMMAND = linesCommand(BYTES);

async function sha256File(file: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

export const p2: Benchmark = {
  id: "p2",
  title: "256 MiB of output: run complete with the full log stored",
  async run(ctx: BenchContext) {
    const server = await startServer({ source: ctx.source, name: "p2", cpuProfileDir: ctx.cpuProfileDir });
    const fx = await createFixture(server, ctx.source, { "print-256m": COMMAND });
    const api = new Api(server.url, fx.token);
    const file = path.join(server.tmpDir, "baseline.out");
    try {
      const reps = ctx.quick ? 1 : 3;
      ctx.log(`${reps} × (bare command > file, then the same command as a run); sha256 checked every time`);
      const base: number[] = [];
      const runops: number[] = [];
      const details: Array<Record<string, unknown>> = [];
      let expected = "";
      let integrity = true;
      for (let i = 0; i < reps; i++) {
        const bare = await bareSpawn(`${COMMAND} > ${file}`, fx.appDir);
        if (bare.exitCode !== 0) throw new Error("baseline command failed");
        base.push(bare.exitedAt - bare.startedAt);
        if (statSync(file).size !== BYTES) throw new Error(`baseline wrote ${statSync(file).size} bytes`);
        expected ||= await sha256File(file);
        rmSync(file);

        const wallStart = Date.now();
        const run = await api.trigger(fx.project, "main", "print-256m");
        const done = await api.waitForEnd(run.id, { everyMs: 250 });
        const finished = Date.parse(done.finishedAt ?? "");
        runops.push(finished - wallStart);
        const hash = createHash("sha256");
        let got = 0;
        const dl0 = performance.now();
        await api.downloadLog(run.id, (d) => {
          got += d.length;
          hash.update(d);
        });
        const download = performance.now() - dl0;
        const digest = hash.digest("hex");
        const ok =
          done.result === "success" && done.logBytes === BYTES && got === BYTES && digest === expected;
        integrity &&= ok;
        const detail = {
          run: run.id,
          ms: finished - wallStart,
          createdToStarted: Date.parse(done.startedAt ?? "") - Date.parse(done.createdAt),
          startedToFinished: finished - Date.parse(done.startedAt ?? ""),
          result: done.result,
          logBytes: done.logBytes,
          downloadedBytes: got,
          downloadMs: Math.round(download),
          sha256: digest,
          expectedSha256: expected,
          ok,
        };
        details.push(detail);
        ctx.log(
          `rep ${i + 1}: bare ${ms(base[i] ?? NaN)}, runops ${ms(runops[i] ?? NaN)} ` +
            `(download ${ms(download)}, ${ok ? "sha256 equal" : "INTEGRITY FAILURE"})`,
        );
      }
      let dbBytes: number | null = null;
      try {
        dbBytes = statSync(new URL(server.databaseUrl.replace(/^file:/, "file://")).pathname).size;
      } catch {
        dbBytes = null;
      }
      const r = summarize(runops);
      const b = summarize(base);
      const throughput = (BYTES / MiB / (r.median / 1000)).toFixed(0);
      return {
        rows: [
          {
            id: "P2",
            measure: `256 MiB run, complete and stored, median (n=${reps})`,
            runops: `${ms(r.median)} (${throughput} MiB/s)`,
            baseline: ms(b.median),
            goal: `${ratio(r.median, b.median)} · goal ≤ 1.5×`,
            verdict: verdict(r.median <= 1.5 * b.median),
          },
          {
            id: "P2",
            measure: `256 MiB run, worst of ${reps}`,
            runops: ms(r.max),
            baseline: ms(b.max),
            goal: `${ratio(r.max, b.max)} · (p99 = max at n=${reps})`,
            verdict: "info",
          },
          {
            id: "P2",
            measure: "sha256 of the stored log = sha256 of the output",
            runops: integrity ? "equal" : "DIFFERENT",
            baseline: `${expected.slice(0, 12)}…`,
            goal: "equal, every run",
            verdict: verdict(integrity),
          },
        ],
        data: { reps, bytes: BYTES, command: COMMAND, runops: r, baseline: b, details, dbBytes },
      };
    } finally {
      api.close();
      await fx.close();
      await server.stop();
    }
  },
};

runStandalone(p2, import.meta.url);
