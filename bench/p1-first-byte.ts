/**
 * P1 — API trigger → first log byte at an SSE client, for `echo hi`, on both set-ups: the embedded
 * one (console + worker processes, SQLite, the run event hub on a Unix socket) and PostgreSQL
 * (the same two processes with DATABASE_URL=postgresql://…, LISTEN/NOTIFY between them; the
 * server from tests/support/postgres.ts, as P5 and P7 start it). Each set-up has its own server
 * and its own baseline, measured alternating with it.
 * Baseline: a bare spawn of `/bin/sh -c "echo hi"` → its first stdout byte.
 * Goal: p50 ≤ 15 ms, p99 ≤ 50 ms, on both.
 *
 * Each iteration: POST …/runs with a bearer token; on the 202, GET /api/v1/runs/{id}/log (SSE);
 * the time from before the POST to the first `chunk` event parsed at the client. The run's `end`
 * event is awaited before the next iteration (runs of one operation queue). Baseline and runops
 * alternate, after a warm-up of both.
 *
 * Where the time goes, per run, on one wall clock (the server's timestamps are the same machine's):
 * POST → the run row's createdAt → startedAt (the worker's claim) → the first chunk's `at` (the log
 * writer had the output: spawn, containment, shell) → the first `output` event on the run event
 * hub (the batch is stored and announced; seen by a listener of the benchmark's own on the hub's
 * socket, or on the NOTIFY channel on PostgreSQL) → the first chunk at the client (the console reads the
 * stored range and streams it, or the viewer's own read of storage when it connected after the
 * announcement). Before the worker split the writer published a chunk live before storing it, so
 * `at` → client is the whole delivery there.
 */
import { bareSpawn } from "./support/baseline";
import { type Fixture, createFixture } from "./support/fixture";
import { Api, isEndEvent, parseEvent } from "./support/http";
import { startPostgres } from "../tests/support/postgres";
import { onCleanup } from "./support/cleanup";
import {
  PgRunEventsProbe,
  RunEventsProbe,
  type RunEventsListener,
  wallNow,
} from "./support/run-events-probe";
import { runStandalone } from "./support/runner";
import { startServer } from "./support/server";
import { ms, ratio, summarize } from "./support/stats";
import { type BenchContext, type BenchOutput, type Benchmark, verdict } from "./support/types";

const COMMAND = "echo hi";
const MAX_FAILURES = 5;

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
  /** POST sent → the run row's createdAt. */
  created: number;
  /** claimed (startedAt) → the first chunk's `at`: spawn, containment, the shell, `echo`. */
  spawn: number;
  /** First chunk's `at` → the first chunk at the client: storing, announcing, reading, streaming. */
  outputToClient: number;
  /** First chunk's `at` → the first `output` event on the hub (stored and announced); NaN without a hub. */
  store: number;
  /** The first `output` event → the first chunk at the client; NaN without a hub. */
  announcedToClient: number;
  /** The SSE response headers came after the first `output` event (the viewer read storage itself). */
  lateViewer: boolean | null;
}

async function runopsOnce(api: Api, fx: Fixture, probe: RunEventsListener | null): Promise<Sample> {
  const project = fx.project;
  const wall0 = wallNow();
  const t0 = performance.now();
  const run = await api.trigger(project, "main", "echo-hi").catch((e: Error) => {
    throw new Error(`POST …/runs: ${e.message}`);
  });
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
    conn.done.then(
      () => Promise.reject(new Error(`run ${run.id}: stream closed early`)),
      (e: Error) => Promise.reject(new Error(`run ${run.id}: SSE stream: ${e.message}`)),
    ),
  ]);
  conn.close();
  if (first === 0) throw new Error(`run ${run.id} ended without a chunk event`);
  const after = await api.run(run.id).catch((e: Error) => {
    throw new Error(`GET run ${run.id}: ${e.message}`);
  });
  if (after.result !== "success")
    throw new Error(`run ${run.id} ended ${after.state}/${after.result}: ${after.reason}`);
  const created = Date.parse(after.createdAt);
  const started = Date.parse(after.startedAt ?? "");
  const chunk = await fx.db.logChunk.findFirst({
    where: { runId: run.id, stream: "stdout" },
    orderBy: { seq: "asc" },
    select: { at: true },
  });
  const chunkAt = chunk ? chunk.at.getTime() : NaN;
  // performance.now() → wall clock, on the same origin as wall0.
  const wall = (t: number) => wall0 + (t - t0);
  const events = probe?.take(run.id);
  const announced = events?.firstOutput ?? NaN;
  return {
    total: first - t0,
    trigger: t202 - t0,
    open: conn.headersAt - t202,
    wait: first - conn.headersAt,
    claim: started - created,
    created: created - wall0,
    spawn: chunkAt - started,
    outputToClient: wall(first) - chunkAt,
    store: announced - chunkAt,
    announcedToClient: wall(first) - announced,
    lateViewer: probe ? wall(conn.headersAt) > announced : null,
  };
}

async function baselineOnce(cwd: string): Promise<number> {
  const bare = await bareSpawn(COMMAND, cwd);
  if (bare.firstByteAt === null || bare.exitCode !== 0) throw new Error(`baseline ${COMMAND} failed`);
  return bare.firstByteAt - bare.startedAt;
}

type SetUp = "SQLite" | "PostgreSQL";

/** One set-up: its own server, warm-up, then runops and the bare spawn alternating. */
async function measure(ctx: BenchContext, setUp: SetUp, databaseUrl?: string): Promise<BenchOutput> {
  const log = (message: string) => ctx.log(`${setUp}: ${message}`);
  const server = await startServer({
    source: ctx.source,
    name: setUp === "SQLite" ? "p1" : "p1-pg",
    databaseUrl,
    cpuProfileDir: ctx.cpuProfileDir,
  });
  const fx = await createFixture(server, ctx.source, { "echo-hi": COMMAND });
  const api = new Api(server.url, fx.token);
  const probe: RunEventsListener | null = databaseUrl
    ? new PgRunEventsProbe(databaseUrl)
    : server.eventsSocket
      ? new RunEventsProbe(server.eventsSocket)
      : null;
  try {
    await probe?.connected;
    const warmup = ctx.quick ? 5 : 30;
    const n = ctx.quick ? 50 : 400;
    log(`warm-up ${warmup}, then ${n} runs and ${n} bare spawns, alternating`);
    // A run whose request or stream fails (e.g. the server closed the connection: "aborted") is
    // counted and reported, and the iteration is done again; past MAX_FAILURES the benchmark fails.
    const failures: string[] = [];
    const once = async (): Promise<Sample> => {
      for (;;) {
        try {
          return await runopsOnce(api, fx, probe);
        } catch (error) {
          const message = error instanceof Error ? error.message : String(error);
          failures.push(message);
          log(`run failed (${failures.length}): ${message}`);
          if (failures.length > MAX_FAILURES) throw error;
        }
      }
    };
    for (let i = 0; i < warmup; i++) {
      await once();
      await baselineOnce(fx.appDir);
    }
    const samples: Sample[] = [];
    const base: number[] = [];
    for (let i = 0; i < n; i++) {
      samples.push(await once());
      base.push(await baselineOnce(fx.appDir));
    }
    const total = summarize(samples.map((s) => s.total));
    const b = summarize(base);
    const keys = [
      "trigger",
      "open",
      "wait",
      "claim",
      "created",
      "spawn",
      "outputToClient",
      "store",
      "announcedToClient",
    ] as const;
    const parts = Object.fromEntries(
      keys.map((k) => [k, summarize(samples.map((s) => s[k]).filter((v) => Number.isFinite(v)))]),
    );
    const p50 = (k: (typeof keys)[number]) => ms(parts[k]?.median ?? NaN);
    const late = samples.filter((s) => s.lateViewer === true).length;
    log(
      `runops p50 ${ms(total.median)} p99 ${ms(total.p99)}; bare spawn p50 ${ms(b.median)}; ` +
        `p50 parts (client): POST→202 ${p50("trigger")}, 202→SSE headers ${p50("open")}, ` +
        `headers→first chunk ${p50("wait")}`,
    );
    log(
      `p50 parts (server timeline): POST→created ${p50("created")}, created→claimed ${p50("claim")}, ` +
        `claimed→first output ${p50("spawn")}, first output→client ${p50("outputToClient")}` +
        (probe
          ? ` (= stored+announced ${p50("store")}, announced→client ${p50("announcedToClient")}; ` +
            `${late}/${n} viewers connected after the announcement)`
          : ""),
    );
    return {
      rows: [
        {
          id: "P1",
          measure: `trigger → first SSE byte, ${setUp}, p50 (n=${n})`,
          runops: ms(total.median),
          baseline: ms(b.median),
          goal: `${ratio(total.median, b.median)} · goal ≤ 15 ms`,
          verdict: verdict(total.median <= 15),
        },
        {
          id: "P1",
          measure: `trigger → first SSE byte, ${setUp}, p99 (n=${n})`,
          runops: ms(total.p99),
          baseline: ms(b.p99),
          goal: `${ratio(total.p99, b.p99)} · goal ≤ 50 ms`,
          verdict: verdict(total.p99 <= 50),
        },
        ...(failures.length > 0
          ? [
              {
                id: "P1",
                measure: `${setUp}: runs that failed and were done again`,
                runops: String(failures.length),
                baseline: "",
                goal: [...new Set(failures)].join("; ").slice(0, 200),
                verdict: "miss" as const,
              },
            ]
          : []),
      ],
      data: {
        n,
        warmup,
        runops: total,
        baseline: b,
        parts,
        lateViewers: probe ? late : null,
        failures,
        twoProcesses: server.workerPid !== null,
        samples,
      },
    };
  } finally {
    probe?.close();
    api.close();
    await fx.close();
    await server.stop();
  }
}

export const p1: Benchmark = {
  id: "p1",
  title: "API trigger → first log byte at an SSE client (echo hi), SQLite and PostgreSQL",
  async run(ctx: BenchContext) {
    const sqlite = await measure(ctx, "SQLite");
    const pg = await startPostgres();
    const stopPg = onCleanup("PostgreSQL", () => pg.stop());
    try {
      const postgres = await measure(ctx, "PostgreSQL", pg.url);
      // Results files before this one had the SQLite set-up's numbers at the top level of `data`.
      return {
        rows: [...sqlite.rows, ...postgres.rows],
        data: { sqlite: sqlite.data, postgresql: postgres.data },
      };
    } finally {
      await stopPg();
    }
  },
};

runStandalone(p1, import.meta.url);
