/**
 * P10 — 10 SSE clients that connect to a 200 MiB run's log and never read. Embedded set-up
 * (console + worker, SQLite).
 * Baseline: the same run with no client (twice, first), and the console's idle RSS.
 * Goal: console RSS growth ≤ 50 MB over idle while the clients are connected; ≤ idle + 20 MB
 * once they closed; the run (before the POST → its `finishedAt`) ≤ 1.1× the baseline.
 *
 * A stalled client is a raw TCP connection: it sends `GET /api/v1/runs/{id}/log` (SSE) right after
 * the 202, reads its first bytes to see the `200` status line, then pauses the socket for good, so
 * that the kernel's buffers fill and TCP back-pressure reaches the console (a few MB of the stream
 * sit in the two sockets' kernel buffers, nothing more). The clients stay connected until the run
 * has finished and 10 s more (the console may go on filling memory from storage after the run
 * ended), then close; the console's RSS is sampled every 100 ms meanwhile and for 15 s after the
 * close; reported: the peak while connected, the RSS 10 s after the close, the lowest after it, and
 * at the peak and after the close the preload's split into V8 heap, Buffers and the rest.
 * Then a fresh server takes one stalled client on the same run (info: the cost of one client).
 */
import net from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { linesCommand } from "./support/baseline";
import { type Fixture, createFixture } from "./support/fixture";
import { Api } from "./support/http";
import { RssSampler, rssBytes } from "./support/proc";
import { runStandalone } from "./support/runner";
import { type MemorySample, type RunningServer, memoryAtPeak, startServer } from "./support/server";
import { MiB, mb, ms, ratio, summarize } from "./support/stats";
import { type BenchContext, type Benchmark, type Row, verdict } from "./support/types";

const CONNECTED_LIMIT = 50e6;
const AFTER_LIMIT = 20e6;
const HOLD_MS = 10_000;
const AFTER_MS = 15_000;

/** A client that asks for the run's SSE log and then never reads. */
class StalledClient {
  status: number | null = null;
  error: string | null = null;
  private socket: net.Socket;
  readonly answered: Promise<void>;

  constructor(url: string, token: string, runId: string) {
    const { hostname, port } = new URL(url);
    this.socket = net.connect(Number(port), hostname);
    this.answered = new Promise((resolve) => {
      this.socket.once("data", (first: Buffer) => {
        this.status = Number(/^HTTP\/1\.1 (\d{3})/.exec(first.toString("latin1"))?.[1] ?? 0);
        // From here on nothing is read: the socket's buffers fill and TCP pushes back.
        this.socket.pause();
        resolve();
      });
      this.socket.once("error", (e) => {
        this.error = e.message;
        resolve();
      });
    });
    this.socket.write(
      `GET /api/v1/runs/${runId}/log HTTP/1.1\r\nHost: ${hostname}:${port}\r\n` +
        `Authorization: Bearer ${token}\r\nAccept: text/event-stream\r\n\r\n`,
    );
  }

  close() {
    this.socket.destroy();
  }
}

const mbOf = (n: number | undefined) => (n === undefined ? "—" : mb(n));
/** A difference in MB with its sign: "+52 MB", "−40 MB". */
const delta = (n: number) => (n < 0 ? `−${mb(-n)}` : `+${mb(n)}`);

/** Heap, Buffers, the rest of one preload sample. */
function split(s: MemorySample | undefined) {
  if (!s) return "no sample";
  return (
    `RSS ${mb(s.rss)}: V8 heap ${mb(s.heapUsed)} used of ${mb(s.heapTotal)}, ` +
    `Buffers ${mb(s.arrayBuffers)} (external ${mb(s.external)}), other ${mb(s.rss - s.heapTotal - s.external)}`
  );
}

async function idleRss(server: RunningServer): Promise<number> {
  await sleep(2000);
  const samples: number[] = [];
  for (let i = 0; i < 30; i++) {
    samples.push(rssBytes(server.consolePid) ?? NaN);
    await sleep(100);
  }
  return summarize(samples).median;
}

/** One run of the big command: ms from before the POST to its `finishedAt`. */
async function runOnce(api: Api, fx: Fixture, clients: number, bytes: number) {
  const wall0 = Date.now();
  const run = await api.trigger(fx.project, "main", "print-big");
  const stalled = Array.from({ length: clients }, () => new StalledClient(api.baseUrl, api.token, run.id));
  const done = await api.waitForEnd(run.id, { everyMs: 100 });
  await Promise.all(stalled.map((c) => c.answered));
  const runMs = Date.parse(done.finishedAt ?? "") - wall0;
  return { run: done, runMs, wall0, stalled, complete: done.result === "success" && done.logBytes === bytes };
}

interface StallRound {
  clients: number;
  runMs: number;
  complete: boolean;
  statuses: Array<number | null>;
  errors: string[];
  idle: number;
  peak: number;
  growth: number;
  afterClose10s: number | null;
  afterCloseMin: number;
  /** RSS every second from the close on. */
  afterClose: number[];
  atPeak: MemorySample | null;
  at10s: MemorySample | undefined;
}

async function stallRound(
  server: RunningServer,
  api: Api,
  fx: Fixture,
  idle: number,
  clients: number,
  bytes: number,
): Promise<StallRound> {
  const rss = new RssSampler(server.consolePid, 100);
  const r = await runOnce(api, fx, clients, bytes);
  await sleep(HOLD_MS);
  const connected = rss.stop();
  const connectedEnd = Date.now();
  for (const c of r.stalled) c.close();
  const closedAt = Date.now();
  const after = new RssSampler(server.consolePid, 100);
  await sleep(AFTER_MS);
  const afterSamples = after.stop().samples;
  const at10 = afterSamples[Math.min(afterSamples.length - 1, 100)] ?? null;
  const memory = server.memory(closedAt, Date.now(), "console");
  const peak = connected.max ?? NaN;
  return {
    clients,
    runMs: r.runMs,
    complete: r.complete,
    statuses: r.stalled.map((c) => c.status),
    errors: r.stalled.flatMap((c) => (c.error ? [c.error] : [])),
    idle,
    peak,
    growth: peak - idle,
    afterClose10s: at10,
    afterCloseMin: Math.min(...afterSamples),
    afterClose: afterSamples.filter((_, i) => i % 10 === 0),
    atPeak: memoryAtPeak(server.memory(r.wall0, connectedEnd, "console")).peak,
    at10s: memory.find((m) => m.t >= closedAt + 10_000),
  };
}

export const p10: Benchmark = {
  id: "p10",
  title: "10 SSE clients that never read a 200 MiB run's log: console memory, the run's time",
  async run(ctx: BenchContext) {
    const bytes = (ctx.quick ? 50 : 200) * MiB;
    const clients = ctx.quick ? 3 : 10;
    const command = linesCommand(bytes);
    const start = async (name: string) => {
      const server = await startServer({ source: ctx.source, name, cpuProfileDir: ctx.cpuProfileDir });
      const fx = await createFixture(server, ctx.source, { warm: "echo warm", "print-big": command });
      const api = new Api(server.url, fx.token);
      // Warm the routes (compiled on first use) and the worker.
      for (let i = 0; i < 3; i++) {
        const run = await api.trigger(fx.project, "main", "warm");
        await api.waitForEnd(run.id, { everyMs: 100 });
      }
      return { server, fx, api };
    };
    const stop = async (s: Awaited<ReturnType<typeof start>>) => {
      s.api.close();
      await s.fx.close();
      await s.server.stop();
    };

    const main = await start("p10");
    let round: StallRound;
    const baseline: number[] = [];
    let idle: number;
    try {
      idle = await idleRss(main.server);
      ctx.log(`console idle RSS ${mb(idle)}; baseline: ${bytes / MiB} MiB run, no client, twice`);
      for (let i = 0; i < 2; i++) {
        const r = await runOnce(main.api, main.fx, 0, bytes);
        if (!r.complete) throw new Error(`baseline run ${r.run.id} ended ${r.run.state}/${r.run.result}`);
        baseline.push(r.runMs);
      }
      const idleAgain = await idleRss(main.server);
      ctx.log(
        `baseline runs ${baseline.map(ms).join(", ")}; console RSS after them ${mb(idleAgain)}; ` +
          `now with ${clients} stalled clients (held ${HOLD_MS / 1000} s after the run ends)`,
      );
      idle = idleAgain;
      round = await stallRound(main.server, main.api, main.fx, idle, clients, bytes);
      ctx.log(
        `${clients} clients: run ${ms(round.runMs)}, console peak ${mb(round.peak)} (${delta(round.growth)}), ` +
          `10 s after close ${mbOf(round.afterClose10s ?? undefined)}, lowest ${mb(round.afterCloseMin)}; ` +
          `statuses ${[...new Set(round.statuses)].join(",")}`,
      );
      ctx.log(`  at the peak: ${split(round.atPeak ?? undefined)}`);
      ctx.log(`  10 s after the close: ${split(round.at10s)}`);
    } finally {
      await stop(main);
    }

    // One client on a fresh server: what a single stalled viewer costs (the brief's black-box case).
    let single: StallRound | null = null;
    if (!ctx.quick) {
      const fresh = await start("p10-one");
      try {
        const idleOne = await idleRss(fresh.server);
        single = await stallRound(fresh.server, fresh.api, fresh.fx, idleOne, 1, bytes);
        ctx.log(
          `1 client (fresh server, idle ${mb(idleOne)}): run ${ms(single.runMs)}, peak ${delta(single.growth)}, ` +
            `10 s after close ${mbOf(single.afterClose10s ?? undefined)}`,
        );
      } finally {
        await stop(fresh);
      }
    }

    const b = summarize(baseline);
    const badStatus = round.statuses.filter((s) => s !== 200).length + round.errors.length;
    const after10 = round.afterClose10s ?? NaN;
    const rows: Row[] = [
      {
        id: "P10",
        measure: `console RSS, peak while ${clients} clients stall on a ${bytes / MiB} MiB run (+ growth)`,
        runops: `${mb(round.peak)} (${delta(round.growth)})`,
        baseline: `${mb(idle)} idle`,
        goal: "goal ≤ idle + 50 MB",
        verdict: verdict(round.growth <= CONNECTED_LIMIT && badStatus === 0),
      },
      {
        id: "P10",
        measure: "console RSS 10 s after they closed (lowest in 15 s)",
        runops: `${mb(after10)} (${delta(after10 - idle)}; lowest ${mb(round.afterCloseMin)})`,
        baseline: `${mb(idle)} idle`,
        goal: "goal ≤ idle + 20 MB",
        verdict: verdict(after10 - idle <= AFTER_LIMIT),
      },
      {
        id: "P10",
        measure: `run POST → finishedAt with ${clients} stalled clients`,
        runops: ms(round.runMs),
        baseline: `${ms(b.median)} (no client, median of ${b.n})`,
        goal: `${ratio(round.runMs, b.median)} · goal ≤ 1.1×`,
        verdict: verdict(round.complete && round.runMs <= 1.1 * b.median),
      },
      {
        id: "P10",
        measure: "console memory at the peak / 10 s after the close",
        runops: round.atPeak
          ? `heap ${mb(round.atPeak.heapUsed)}, Buffers ${mb(round.atPeak.arrayBuffers)}, other ${mb(round.atPeak.rss - round.atPeak.heapTotal - round.atPeak.external)}`
          : "—",
        baseline: round.at10s
          ? `heap ${mb(round.at10s.heapUsed)}, Buffers ${mb(round.at10s.arrayBuffers)}, other ${mb(round.at10s.rss - round.at10s.heapTotal - round.at10s.external)}`
          : "—",
        goal: "(V8 heap used, arrayBuffers, RSS − heap − external)",
        verdict: "info",
      },
    ];
    if (single) {
      rows.push({
        id: "P10",
        measure: "one stalled client, fresh server: console RSS growth / 10 s after close",
        runops: `${delta(single.growth)} / ${delta((single.afterClose10s ?? NaN) - single.idle)}`,
        baseline: `${mb(single.idle)} idle`,
        goal: `run ${ms(single.runMs)}`,
        verdict: "info",
      });
    }
    return {
      rows,
      data: { bytes, clients, holdMs: HOLD_MS, afterMs: AFTER_MS, idle, baseline, round, single },
    };
  },
};

runStandalone(p10, import.meta.url);
