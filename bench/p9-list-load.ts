/**
 * P9 — 50 triggers while 200 clients list runs. Embedded set-up (console + worker, SQLite), as
 * `npm start` runs it.
 * Baseline: the same 50 triggers with no readers, in the same run (first).
 * Goal: trigger p99 ≤ 500 ms, list p99 ≤ 1 s, 0 errors (non-2xx answers and socket errors are
 * counted and reported, never retried).
 *
 * The environment has 1,000 runs of history (bench/support/generate-runs.ts), so every list
 * answers a full page. Readers: 200 clients, each with a keep-alive connection of its own (an
 * Agent with one socket), each in a loop: `GET …/runs` (limit 50, the default page), read the whole
 * answer, again. Triggers: `POST …/runs` (`echo hi`), one every 20 s / 51, fired on schedule whether
 * or not the previous one answered (open loop: a slow server does not get fewer triggers), over a
 * keep-alive agent of their own; the time of each is POST sent → 202 read. The readers start
 * together and run for 20 s, and on until every trigger has answered (at most 120 s more), so
 * that a trigger still waiting at 20 s is still measured under load. Before both rounds, 50 lists
 * one after the other give the cost of one list alone.
 *
 * Where the time goes, recorded per round: the console's and the worker's CPU time (/proc), this
 * process's (the clients share the 2 cores), the console's event loop (utilization and delay, from
 * the preload's memory.jsonl), the TCP connections established to the console at mid-window, list
 * throughput, and trigger → claimed (createdAt → startedAt) of the runs. `--cpu-prof` writes the
 * console's and the worker's profiles (`npx tsx bench/profile.ts <file>`).
 */
import { Agent } from "node:http";
import { setTimeout as sleep } from "node:timers/promises";
import type { Db } from "../lib/db/client";
import { createFixture } from "./support/fixture";
import { generateHistory } from "./support/generate-runs";
import {
  type Outcome,
  type ServerSockets,
  cpuMs,
  establishedTo,
  mainThreadSchedMs,
  serverSockets,
  timedRequest,
} from "./support/load";
import { waitFor } from "./support/proc";
import { runStandalone } from "./support/runner";
import { startServer } from "./support/server";
import { type Summary, ms, summarize } from "./support/stats";
import { type BenchContext, type Benchmark, type Row, verdict } from "./support/types";

const COMMAND = "echo hi";
const TIMEOUT_MS = 120_000;

interface Round {
  readers: number;
  triggers: Outcome[];
  lists: Outcome[];
  /** The readers ran this long (20 s, or until the last trigger answered). */
  readMs: number;
  /** CPU ms per wall s (100 = one core busy) of the console, the worker and this process. */
  consoleCpu: number;
  workerCpu: number;
  clientCpu: number;
  /** The console's event loop over the window (preload samples). */
  eluMean: number;
  lagP99Median: number;
  lagMax: number;
  connections: number;
  claim: Summary;
  /** The console's main thread, per wall s: ms on a CPU, ms runnable but not running (starved). */
  loopOnCpu: number;
  loopWaiting: number;
  /** The server's sockets every 500 ms (ms since the round's start). */
  sockets: Array<{ t: number } & ServerSockets>;
  /** The probe requests beside the triggers (kind: "invalid POST", "GET one run"). */
  probes: Array<{ kind: string; outcome: Outcome }>;
  /** POST sent → the run's createdAt, and createdAt → 202 read. */
  beforeInsert: Summary;
  afterInsert: Summary;
}

const isError = (o: Outcome) => o.status === 0 || o.status >= 400;

function errorCounts(outcomes: Outcome[]) {
  const non2xx = outcomes.filter((o) => o.status >= 300).length;
  const socket = outcomes.filter((o) => o.status === 0).length;
  const kinds: Record<string, number> = {};
  for (const o of outcomes) {
    const k = o.status === 0 ? (o.error ?? "error") : o.status >= 300 ? String(o.status) : null;
    if (k) kinds[k] = (kinds[k] ?? 0) + 1;
  }
  return { non2xx, socket, kinds };
}

export const p9: Benchmark = {
  id: "p9",
  title: "50 triggers while 200 clients list runs (SQLite)",
  async run(ctx: BenchContext) {
    const readers = ctx.quick ? 50 : 200;
    const triggers = ctx.quick ? 15 : 50;
    const windowMs = ctx.quick ? 6_000 : 20_000;
    const server = await startServer({ source: ctx.source, name: "p9", cpuProfileDir: ctx.cpuProfileDir });
    const fx = await createFixture(server, ctx.source, { "echo-hi": COMMAND });
    const env = fx.environments.main;
    if (!env) throw new Error("no main environment");
    const port = Number(new URL(server.url).port);
    const listUrl = `${server.url}/api/v1/projects/${fx.project}/environments/main/runs`;
    try {
      const history = await generateHistory(
        { provider: "sqlite", url: server.databaseUrl, sourceDir: ctx.source.dir, db: fx.db },
        {
          environmentId: env.id,
          deploymentId: env.deploymentId,
          appDir: fx.appDir,
          count: 1000,
          operations: ["echo-hi"],
          users: [{ id: fx.adminId, weight: 1 }],
          seed: 9,
        },
      );

      const oneRun = history.ids[history.ids.length - 1] ?? "";

      // Warm the routes (compiled on first use), then one list at a time: its cost alone.
      const warm = new Agent({ keepAlive: true, maxSockets: 1 });
      const one = (method: string, body?: unknown) =>
        timedRequest({ agent: warm, method, url: listUrl, token: fx.token, body, timeoutMs: TIMEOUT_MS });
      for (let i = 0; i < 5; i++) {
        await one("POST", { operation: "echo-hi" });
        await one("GET");
      }
      await waitForIdle(fx.db);
      const alone: Outcome[] = [];
      for (let i = 0; i < 50; i++) alone.push(await one("GET"));
      warm.destroy();
      const aloneSummary = summarize(alone.map((o) => o.ms));
      ctx.log(`one list at a time: p50 ${ms(aloneSummary.median)}, p99 ${ms(aloneSummary.p99)}`);

      const round = async (readerCount: number): Promise<Round> => {
        const triggerAgent = new Agent({ keepAlive: true });
        const agents = Array.from(
          { length: readerCount },
          () => new Agent({ keepAlive: true, maxSockets: 1 }),
        );
        const lists: Outcome[] = [];
        const fired: Array<Promise<Outcome>> = [];
        let triggersDone = false;
        const wall0 = Date.now();
        const t0 = performance.now();
        const cpu0 = {
          console: cpuMs(server.consolePid) ?? 0,
          worker: cpuWorker(),
          self: process.cpuUsage(),
          loop: mainThreadSchedMs(server.consolePid),
        };
        const windowEnd = t0 + windowMs;
        const loops = agents.map(async (agent) => {
          while (
            (performance.now() < windowEnd || !triggersDone) &&
            performance.now() < windowEnd + TIMEOUT_MS
          ) {
            lists.push(
              await timedRequest({
                agent,
                method: "GET",
                url: listUrl,
                token: fx.token,
                timeoutMs: TIMEOUT_MS,
              }),
            );
          }
        });
        let connections = 0;
        const mid = sleep(windowMs / 2).then(() => (connections = establishedTo(port)));
        // Every 500 ms: connections not accepted yet, and accepted ones with requests not read.
        const sockets: Array<{ t: number } & ServerSockets> = [];
        const socketTimer = setInterval(
          () => sockets.push({ t: Math.round(performance.now() - t0), ...serverSockets(port) }),
          500,
        );
        const every = windowMs / (triggers + 1);
        // Probes beside every fifth trigger, to tell which part of a trigger's path waits: the
        // same POST with a body the route refuses (read and validated, no SQL: a 400), a GET of
        // one run (one statement, no body), and the readers' list on a connection of its own.
        const probes: Array<Promise<{ kind: string; outcome: Outcome }>> = [];
        const probe = (kind: string, method: string, url: string, body?: unknown, agent = triggerAgent) =>
          probes.push(
            timedRequest({
              agent,
              method,
              url,
              token: fx.token,
              body,
              timeoutMs: TIMEOUT_MS,
            }).then((outcome) => ({ kind, outcome })),
          );
        for (let i = 0; i < triggers; i++) {
          const at = t0 + every * (i + 1);
          await sleep(Math.max(0, at - performance.now()));
          if (i % 5 === 2) {
            probe("invalid POST", "POST", listUrl, { operation: 42 });
            probe("GET one run", "GET", `${server.url}/api/v1/runs/${oneRun}`);
            // The readers' own request on a connection of its own: slow like the probes above =
            // new connections wait; fast like the readers' = something about the route.
            probe("list, new connection", "GET", listUrl, undefined, new Agent({ keepAlive: false }));
          }
          fired.push(
            timedRequest({
              agent: triggerAgent,
              method: "POST",
              url: listUrl,
              token: fx.token,
              body: { operation: "echo-hi" },
              timeoutMs: TIMEOUT_MS,
              keepBody: true,
            }),
          );
        }
        const triggered = await Promise.all(fired);
        const probed = await Promise.all(probes);
        triggersDone = true;
        await Promise.all(loops);
        await mid;
        clearInterval(socketTimer);
        const t1 = performance.now();
        const seconds = (t1 - t0) / 1000;
        const cpu1 = {
          console: cpuMs(server.consolePid) ?? 0,
          worker: cpuWorker(),
          self: process.cpuUsage(cpu0.self),
          loop: mainThreadSchedMs(server.consolePid),
        };
        const samples = server.memory(wall0, Date.now(), "console");
        const elu = samples.map((s) => s.elu).filter((v): v is number => v !== undefined);
        const lag99 = samples.map((s) => s.lagP99).filter((v): v is number => v !== undefined);
        const lagMax = samples.map((s) => s.lagMax).filter((v): v is number => v !== undefined);
        triggerAgent.destroy();
        for (const a of agents) a.destroy();
        const answered = triggered
          .filter((o) => o.status === 202 && o.body)
          .map((o) => ({
            o,
            view: JSON.parse(o.body?.toString() ?? "{}") as { id: string; createdAt: string },
          }));
        const ids = answered.map((a) => a.view.id);
        // The run row's createdAt (the server's clock, ms) splits each trigger: before the INSERT
        // (authentication, the environment read) and after it (audit, the answer, its delivery).
        const sentWall = (o: Outcome) => performance.timeOrigin + o.at;
        const beforeInsert = summarize(
          answered.map(({ o, view }) => Date.parse(view.createdAt) - sentWall(o)),
        );
        const afterInsert = summarize(
          answered.map(({ o, view }) => sentWall(o) + o.ms - Date.parse(view.createdAt)),
        );
        await waitForIdle(fx.db);
        const runs = await fx.db.run.findMany({
          where: { id: { in: ids } },
          select: { createdAt: true, startedAt: true },
        });
        return {
          readers: readerCount,
          triggers: triggered.map(({ body: _body, ...o }) => o),
          probes: probed,
          sockets,
          lists,
          readMs: t1 - t0,
          consoleCpu: (cpu1.console - cpu0.console) / seconds / 10,
          workerCpu: (cpu1.worker - cpu0.worker) / seconds / 10,
          clientCpu: (cpu1.self.user + cpu1.self.system) / 1000 / seconds / 10,
          eluMean: elu.length ? elu.reduce((a, b) => a + b, 0) / elu.length : NaN,
          lagP99Median: summarize(lag99).median,
          lagMax: lagMax.length ? Math.max(...lagMax) : NaN,
          connections,
          claim: summarize(runs.map((r) => (r.startedAt?.getTime() ?? NaN) - r.createdAt.getTime())),
          loopOnCpu: ((cpu1.loop?.onCpu ?? NaN) - (cpu0.loop?.onCpu ?? NaN)) / seconds,
          loopWaiting: ((cpu1.loop?.waiting ?? NaN) - (cpu0.loop?.waiting ?? NaN)) / seconds,
          beforeInsert,
          afterInsert,
        };
      };
      const cpuWorker = () => {
        const pid = server.currentWorkerPid();
        return pid === null ? 0 : (cpuMs(pid) ?? 0);
      };

      ctx.log(`baseline: ${triggers} triggers over ${windowMs / 1000} s, no readers`);
      const base = await round(0);
      describe(ctx, base);
      ctx.log(`${triggers} triggers over ${windowMs / 1000} s while ${readers} clients list runs`);
      const loaded = await round(readers);
      describe(ctx, loaded);

      const tr = summarize(loaded.triggers.map((o) => o.ms));
      const trBase = summarize(base.triggers.map((o) => o.ms));
      const li = summarize(loaded.lists.map((o) => o.ms));
      const errTriggers = errorCounts(loaded.triggers);
      const errLists = errorCounts(loaded.lists);
      const errBase = errorCounts(base.triggers);
      const errors = errTriggers.non2xx + errTriggers.socket + errLists.non2xx + errLists.socket;
      const fmt = (e: ReturnType<typeof errorCounts>) =>
        `${e.non2xx} non-2xx, ${e.socket} socket${
          Object.keys(e.kinds).length
            ? ` (${Object.entries(e.kinds)
                .map(([k, v]) => `${k}: ${v}`)
                .join(", ")})`
            : ""
        }`;
      const rows: Row[] = [
        {
          id: "P9",
          measure: `trigger (POST → 202) with ${readers} listing clients, p50 (n=${tr.n})`,
          runops: ms(tr.median),
          baseline: `${ms(trBase.median)} (no readers)`,
          goal: `${(tr.median / trBase.median).toFixed(1)}×`,
          verdict: "info",
        },
        {
          id: "P9",
          measure: `trigger (POST → 202) with ${readers} listing clients, p99 (n=${tr.n})`,
          runops: ms(tr.p99),
          baseline: `${ms(trBase.p99)} (no readers)`,
          goal: "goal ≤ 500 ms",
          verdict: verdict(tr.p99 <= 500 && errTriggers.non2xx + errTriggers.socket === 0),
        },
        {
          id: "P9",
          measure: `list runs (GET …/runs, 50) × ${readers} clients, p50 / p99 (n=${li.n})`,
          runops: `${ms(li.median)} / ${ms(li.p99)}`,
          baseline: `${ms(aloneSummary.median)} / ${ms(aloneSummary.p99)} (one at a time)`,
          goal: "goal p99 ≤ 1 s",
          verdict: verdict(li.p99 <= 1000),
        },
        {
          id: "P9",
          measure: "errors: triggers / lists (non-2xx, socket errors and timeouts)",
          runops: `${fmt(errTriggers)} / ${fmt(errLists)}`,
          baseline: `${fmt(errBase)} (no readers)`,
          goal: "goal 0",
          verdict: verdict(errors === 0),
        },
        {
          id: "P9",
          measure: `where the time goes, with ${readers} readers (CPU: % of one core)`,
          runops:
            `console ${loaded.consoleCpu.toFixed(0)}%, worker ${loaded.workerCpu.toFixed(0)}%, clients ${loaded.clientCpu.toFixed(0)}%; ` +
            `console loop ${(loaded.eluMean * 100).toFixed(0)}% busy (thread on CPU ${(loaded.loopOnCpu / 10).toFixed(0)}%, ` +
            `waiting for a CPU ${(loaded.loopWaiting / 10).toFixed(0)}%), longest loop delay ${ms(loaded.lagMax)}`,
          baseline: `console ${base.consoleCpu.toFixed(0)}%, loop ${(base.eluMean * 100).toFixed(0)}% busy (no readers)`,
          goal:
            `${(loaded.lists.length / (loaded.readMs / 1000)).toFixed(0)} lists/s, ${loaded.connections} connections; ` +
            `trigger→claimed p50 ${ms(loaded.claim.median)}`,
          verdict: "info",
        },
        {
          id: "P9",
          measure: `which part waits, with ${readers} readers (p50)`,
          runops:
            `trigger: POST→INSERT ${ms(loaded.beforeInsert.median)}, INSERT→202 ${ms(loaded.afterInsert.median)}; ` +
            Object.entries(probeSummary(loaded))
              .map(([k, v]) => `${k} ${ms(v.median)}`)
              .join(", "),
          baseline:
            `POST→INSERT ${ms(base.beforeInsert.median)}; ` +
            Object.entries(probeSummary(base))
              .map(([k, v]) => `${k} ${ms(v.median)}`)
              .join(", "),
          goal: "invalid POST: body read + validation, no SQL",
          verdict: "info",
        },
      ];
      return {
        rows,
        data: {
          readers,
          triggers,
          windowMs,
          history: 1000,
          listAlone: aloneSummary,
          baseline: summarizeRound(base),
          loaded: summarizeRound(loaded),
          errors: { triggers: errTriggers, lists: errLists, baselineTriggers: errBase },
          triggerSamples: { baseline: base.triggers, loaded: loaded.triggers },
          listSamples: loaded.lists.filter((_, i) => i % 10 === 0 || isError(loaded.lists[i] as Outcome)),
        },
      };
    } finally {
      await fx.close();
      await server.stop();
    }
  },
};

function summarizeRound(r: Round) {
  return {
    readers: r.readers,
    readMs: r.readMs,
    trigger: summarize(r.triggers.map((o) => o.ms)),
    list: summarize(r.lists.map((o) => o.ms)),
    lists: r.lists.length,
    listsPerSecond: r.lists.length / (r.readMs / 1000),
    consoleCpu: r.consoleCpu,
    workerCpu: r.workerCpu,
    clientCpu: r.clientCpu,
    eluMean: r.eluMean,
    lagP99Median: r.lagP99Median,
    lagMax: r.lagMax,
    connections: r.connections,
    claim: r.claim,
    loopOnCpu: r.loopOnCpu,
    loopWaiting: r.loopWaiting,
    beforeInsert: r.beforeInsert,
    afterInsert: r.afterInsert,
    probes: probeSummary(r),
    sockets: r.sockets,
  };
}

/** Per probe kind: latency summary and the statuses seen. */
function probeSummary(r: Round) {
  const kinds = [...new Set(r.probes.map((p) => p.kind))];
  return Object.fromEntries(
    kinds.map((k) => {
      const of = r.probes.filter((p) => p.kind === k).map((p) => p.outcome);
      return [k, { ...summarize(of.map((o) => o.ms)), statuses: of.map((o) => o.status || o.error) }];
    }),
  );
}

function describe(ctx: BenchContext, r: Round) {
  const t = summarize(r.triggers.map((o) => o.ms));
  const l = summarize(r.lists.map((o) => o.ms));
  ctx.log(
    `  triggers p50 ${ms(t.median)} p99 ${ms(t.p99)} max ${ms(t.max)} ` +
      `(p50 POST→INSERT ${ms(r.beforeInsert.median)}, INSERT→202 ${ms(r.afterInsert.median)})` +
      (r.readers > 0
        ? `; lists ${r.lists.length} in ${ms(r.readMs)}: p50 ${ms(l.median)} p99 ${ms(l.p99)}`
        : "") +
      `; CPU console ${r.consoleCpu.toFixed(0)}%, worker ${r.workerCpu.toFixed(0)}%, clients ${r.clientCpu.toFixed(0)}%; ` +
      `loop ${(r.eluMean * 100).toFixed(0)}% busy, delay p99 ${ms(r.lagP99Median)}, max ${ms(r.lagMax)}, ` +
      `its thread on CPU ${(r.loopOnCpu / 10).toFixed(0)}% and runnable-waiting ${(r.loopWaiting / 10).toFixed(0)}% of the time; ` +
      `${r.connections} connections at mid-window (accept queue max ` +
      `${Math.max(0, ...r.sockets.map((x) => x.acceptQueue))}, sockets with unread requests max ` +
      `${Math.max(0, ...r.sockets.map((x) => x.unread))}); trigger→claimed p50 ${ms(r.claim.median)}; probes p50: ` +
      Object.entries(probeSummary(r))
        .map(([k, v]) => `${k} ${ms(v.median)} (max ${ms(v.max)}; ${[...new Set(v.statuses)].join(",")})`)
        .join(", "),
  );
}

/** No run pending or in progress (the previous round's runs are done). */
async function waitForIdle(db: Db) {
  await waitFor(
    "the runs to finish",
    async () => (await db.run.count({ where: { state: { in: ["pending", "in_progress"] } } })) === 0,
    { timeoutMs: 300_000, everyMs: 200 },
  );
}

runStandalone(p9, import.meta.url);
