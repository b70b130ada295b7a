/**
 * P3 — 100 SSE viewers on a run printing 50 MiB.
 * Baseline: the same run with no viewer.
 * Goal: ≤ 1.3× the baseline; every viewer receives identical bytes; console RSS and worker RSS each
 * ≤ 400 MB.
 *
 * The measure is the run's own completion — from before the POST to its `finishedAt` (all output
 * stored) — with 100 viewers attached and with none: viewers must not slow the run down. Also
 * reported: when the last viewer had the `end` event (every byte delivered to all 100, 5 GiB of
 * events; on 2 cores that has a floor of its own, the socket writes). The viewers connect right
 * after the 202. Each viewer hashes (CRC-32) and counts the event blocks it receives, keep-alive
 * comments and `state` events aside (the run's state as the viewer first saw it depends on when it
 * connected; the log does not): identical digests mean identical log streams; two of them (the
 * first and the last to connect) also decode every chunk and check the sha256 of the text against
 * the produced bytes. The VmRSS of the console (next-server) and of the worker process (which runs
 * the command and stores its output; none in one-process commits) are sampled every 100 ms.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { crc32 } from "node:zlib";
import { bareSpawn, linesCommand } from "./support/baseline";
import { createFixture } from "./support/fixture";
import {
  Api,
  type SseConnection,
  chunkText,
  isEndEvent,
  isNoise,
  isStateEvent,
  parseEvent,
} from "./support/http";
import { RssSampler } from "./support/proc";
import { runStandalone } from "./support/runner";
import { memoryAtPeak, startServer } from "./support/server";
import { MiB, mb, ms, ratio, summarize } from "./support/stats";
import { type BenchContext, type Benchmark, verdict } from "./support/types";

const BYTES = 50 * MiB;
const VIEWERS = 100;
const COMMAND = linesCommand(BYTES);
const RSS_LIMIT = 400e6;
/** Repetitions stop once this much time has gone (a slow path would otherwise take most of the suite). */
const BUDGET_MS = 4 * 60_000;

interface Viewer {
  conn: SseConnection;
  crc: number;
  /** `state` events (not part of the digest). */
  states: number;
  bytes: number;
  events: number;
  /** Event ids (sequence numbers) in the order received: shows a gap or a repeat at once. */
  ids: number[];
  endedAt: number;
  /** Why the stream stopped before its `end` event, if it did. */
  error?: string;
  decoded?: { hash: ReturnType<typeof createHash>; bytes: number };
  ended: Promise<void>;
}

function openViewer(api: Api, runId: string, decode: boolean): Viewer {
  let resolve!: () => void;
  const viewer: Viewer = {
    conn: undefined as unknown as SseConnection,
    crc: 0,
    states: 0,
    bytes: 0,
    events: 0,
    ids: [],
    endedAt: 0,
    decoded: decode ? { hash: createHash("sha256"), bytes: 0 } : undefined,
    ended: new Promise<void>((r) => (resolve = r)),
  };
  viewer.conn = api.sse(runId, (block) => {
    if (isNoise(block)) return;
    if (isStateEvent(block)) {
      viewer.states++;
      return;
    }
    viewer.crc = crc32(block, viewer.crc);
    viewer.bytes += block.length;
    viewer.events++;
    if (block[0] === 0x69 /* "i" */ && block.subarray(0, 4).toString() === "id: ") {
      viewer.ids.push(Number(block.subarray(4, block.indexOf(0x0a)).toString()));
    }
    if (viewer.decoded) {
      const event = parseEvent(block);
      if (event?.event === "chunk") {
        const text = Buffer.from(chunkText(event), "utf8");
        viewer.decoded.hash.update(text);
        viewer.decoded.bytes += text.length;
      }
    }
    if (isEndEvent(block)) {
      viewer.endedAt = Date.now();
      resolve();
    }
  });
  viewer.conn.done.then(
    () => {
      if (!viewer.endedAt) viewer.error = "the server closed the stream before the end event";
      resolve();
    },
    (error: unknown) => {
      viewer.error = error instanceof Error ? error.message : String(error);
      resolve();
    },
  );
  return viewer;
}

/** The server log's last lines that look like errors. */
function errorLines(file: string): string[] {
  try {
    return readFileSync(file, "utf8")
      .split("\n")
      .filter((l) => /error|Error|ERR|SQLITE|unhandled/.test(l))
      .slice(-10)
      .map((l) => l.slice(0, 300));
  } catch {
    return [];
  }
}

/** The distinct event streams: how many viewers got each, and how they differ (gaps, repeats). */
function describeStreams(viewers: Viewer[]): string[] {
  const groups = new Map<string, Viewer[]>();
  for (const v of viewers) {
    const key = `${v.crc}/${v.bytes}/${v.events}`;
    groups.set(key, [...(groups.get(key) ?? []), v]);
  }
  return [...groups.values()]
    .sort((a, b) => b.length - a.length)
    .map((group) => {
      const v = group[0] as Viewer;
      const seen = new Set<number>();
      let repeats = 0;
      let gaps = 0;
      let prev = 0;
      for (const id of v.ids) {
        if (seen.has(id)) repeats++;
        else if (id !== prev + 1) gaps++;
        seen.add(id);
        prev = Math.max(prev, id);
      }
      return (
        `${group.length} viewer(s): ${v.events} events, ${v.bytes} bytes, ids ${v.ids[0] ?? "-"}…${prev}, ` +
        `${repeats} repeated, ${gaps} gaps`
      );
    });
}

export const p3: Benchmark = {
  id: "p3",
  title: `${VIEWERS} SSE viewers on a run printing 50 MiB`,
  async run(ctx: BenchContext) {
    const server = await startServer({ source: ctx.source, name: "p3", cpuProfileDir: ctx.cpuProfileDir });
    const fx = await createFixture(server, ctx.source, { "print-50m": COMMAND });
    const api = new Api(server.url, fx.token);
    try {
      const expected = createHash("sha256");
      const bare = await bareSpawn(COMMAND, fx.appDir, (d) => expected.update(d));
      if (bare.exitCode !== 0) throw new Error("the command failed when run bare");
      const expectedSha = expected.digest("hex");

      const maxReps = ctx.quick ? 1 : 3;
      const began = Date.now();
      ctx.log(
        `up to ${maxReps} × (the run alone, then the run with ${VIEWERS} viewers), within ${BUDGET_MS / 60_000} min`,
      );
      const alone: number[] = [];
      const watched: number[] = [];
      const delivered: number[] = [];
      const details: Array<Record<string, unknown>> = [];
      let identical = true;
      let maxRss = 0;
      let maxWorkerRss: number | null = null;
      let reps = 0;
      for (let i = 0; i < maxReps && (i === 0 || Date.now() - began < BUDGET_MS); i++) {
        reps++;
        // Without viewers.
        let t0 = Date.now();
        let run = await api.trigger(fx.project, "main", "print-50m");
        let done = await api.waitForEnd(run.id, { everyMs: 250 });
        if (done.result !== "success") throw new Error(`run ${run.id}: ${done.reason}`);
        alone.push(Date.parse(done.finishedAt ?? "") - t0);

        // With viewers.
        const rss = new RssSampler(server.consolePid, 100);
        const workerRss = new RssSampler(() => server.currentWorkerPid(), 100);
        t0 = Date.now();
        run = await api.trigger(fx.project, "main", "print-50m");
        const viewers: Viewer[] = [];
        for (let v = 0; v < VIEWERS; v++) viewers.push(openViewer(api, run.id, v === 0 || v === VIEWERS - 1));
        await Promise.all(viewers.map((v) => v.ended));
        const lastEnd = Math.max(...viewers.map((v) => v.endedAt));
        const memory = rss.stop();
        const workerMemory = workerRss.stop();
        const breakdown = memoryAtPeak(server.memory(t0, Date.now(), "console"));
        const workerBreakdown = memoryAtPeak(server.memory(t0, Date.now(), "worker"));
        for (const v of viewers) v.conn.close();
        done = await api.waitForEnd(run.id, { everyMs: 100 });
        maxRss = Math.max(maxRss, memory.max ?? NaN);
        if (workerMemory.max !== null) maxWorkerRss = Math.max(maxWorkerRss ?? 0, workerMemory.max);
        if (workerMemory.pids.length > 1)
          ctx.log(`  the worker restarted: pids ${workerMemory.pids.join(", ")}`);
        const allEnded = viewers.every((v) => v.endedAt > 0);
        const first = viewers[0];
        const digests = new Set(viewers.map((v) => `${v.crc}/${v.bytes}/${v.events}`));
        const streams = describeStreams(viewers);
        if (digests.size > 1) ctx.log(`  streams differ: ${streams.join("; ")}`);
        const failures = viewers.filter((v) => v.error).map((v) => v.error as string);
        const serverErrors = failures.length > 0 ? errorLines(server.logFile) : [];
        if (failures.length > 0) {
          ctx.log(`  ${failures.length} viewer(s) stopped early: ${[...new Set(failures)].join("; ")}`);
          for (const line of serverErrors) ctx.log(`  server.log: ${line}`);
        }
        const decodedOk = viewers
          .filter((v) => v.decoded)
          .every((v) => v.decoded?.bytes === BYTES && v.decoded.hash.digest("hex") === expectedSha);
        const ok = allEnded && digests.size === 1 && decodedOk && done.result === "success";
        identical &&= ok;
        watched.push(Date.parse(done.finishedAt ?? "") - t0);
        delivered.push(lastEnd - t0);
        const detail = {
          run: run.id,
          aloneMs: alone[i],
          withViewersMs: lastEnd - t0,
          runFinishedMs: Date.parse(done.finishedAt ?? "") - t0,
          firstViewerEndMs: Math.min(...viewers.map((v) => v.endedAt || Infinity)) - t0,
          viewersEnded: viewers.filter((v) => v.endedAt > 0).length,
          distinctStreams: digests.size,
          streams,
          viewerErrors: failures,
          serverErrors,
          eventBytesPerViewer: first?.bytes,
          eventsPerViewer: first?.events,
          decodedMatches: decodedOk,
          maxRss: memory.max,
          atPeak: breakdown.peak,
          workerMaxRss: workerMemory.max,
          workerPids: workerMemory.pids,
          workerAtPeak: workerBreakdown.peak,
          stateEventsPerViewer: [...new Set(viewers.map((v) => v.states))],
        };
        details.push(detail);
        ctx.log(
          `rep ${i + 1}: alone ${ms(alone[i] ?? NaN)}, with ${VIEWERS} viewers ${ms(detail.runFinishedMs)} ` +
            `(all viewers had the end at ${ms(lastEnd - t0)}), max RSS console ${mb(memory.max ?? NaN)}, ` +
            `worker ${mb(workerMemory.max ?? NaN)}, ` +
            `${ok ? "identical" : `NOT identical (${digests.size} distinct streams, decoded ok: ${decodedOk})`}`,
        );
        ctx.log(`  console ${breakdown.summary}`);
        if (server.workerPid !== null) ctx.log(`  worker ${workerBreakdown.summary}`);
      }
      const w = summarize(watched);
      const d = summarize(delivered);
      const a = summarize(alone);
      return {
        rows: [
          {
            id: "P3",
            measure: `50 MiB run complete with ${VIEWERS} viewers, median (n=${reps})`,
            runops: ms(w.median),
            baseline: `${ms(a.median)} (no viewer)`,
            goal: `${ratio(w.median, a.median)} · goal ≤ 1.3×`,
            verdict: verdict(w.median <= 1.3 * a.median),
          },
          {
            id: "P3",
            measure: `… and all ${VIEWERS} viewers had every byte, median`,
            runops: ms(d.median),
            baseline: `${ms(a.median)} (no viewer)`,
            goal: `${ratio(d.median, a.median)} · (5 GiB delivered)`,
            verdict: "info",
          },
          {
            id: "P3",
            measure: "every viewer received identical bytes (= the output)",
            runops: identical ? "identical" : "DIFFERENT",
            baseline: "",
            goal: "identical",
            verdict: verdict(identical),
          },
          {
            id: "P3",
            measure: `console RSS, max while ${VIEWERS} viewers stream`,
            runops: mb(maxRss),
            baseline: server.workerPid === null ? "(one process: also executes the run)" : "",
            goal: "goal ≤ 400 MB",
            verdict: verdict(maxRss <= RSS_LIMIT),
          },
          {
            id: "P3",
            measure: `worker RSS, max while ${VIEWERS} viewers stream`,
            runops: maxWorkerRss === null ? "—" : mb(maxWorkerRss),
            baseline: maxWorkerRss === null ? "(no worker process)" : "",
            goal: "goal ≤ 400 MB",
            verdict: maxWorkerRss === null ? "info" : verdict(maxWorkerRss <= RSS_LIMIT),
          },
        ],
        data: {
          reps,
          viewers: VIEWERS,
          bytes: BYTES,
          consolePid: server.consolePid,
          workerPid: server.workerPid,
          maxConsoleRss: maxRss,
          maxWorkerRss,
          withViewers: w,
          delivered: d,
          alone: a,
          details,
          expectedSha,
        },
      };
    } finally {
      api.close();
      await fx.close();
      await server.stop();
    }
  },
};

runStandalone(p3, import.meta.url);
