/**
 * P7 — dispatch on PostgreSQL: 1,000 `echo hi` runs triggered at once, trigger → all complete,
 * with 1 and with 2 `runops worker` processes (concurrency 4 each, the default).
 * Baseline: the same 1,000 commands spawned bare (`/bin/sh -c 'echo hi'`, own process group, as
 * the executor does) with the same total concurrency (4, then 8), from a small Node process.
 * Goal: ≥ 100 runs/s with 2 workers.
 *
 * The measured copy's own code does the work: `startRun` (as the console would, in this process,
 * which also plays the console's side of the LISTEN/NOTIFY channel so that "created" reaches the
 * workers) and real worker processes (`node --import tsx scripts/worker.ts`, runops' defaults:
 * heartbeat 5 s, containment auto, log level info to a file). The 1,000 runs go to 10
 * environments × 100 operations: 1,000 distinct queue keys, so that per-queue order serializes
 * nothing and the measure is dispatch itself. All 1,000 startRun calls are made at once (the
 * Prisma pool bounds how many run together). runops time: from before the first trigger (this
 * clock) to the last run's `finishedAt` (the worker's clock, same machine); completion is polled
 * every 100 ms outside the measure. Each round has a fresh database on one PostgreSQL server (as
 * tests/support/postgres.ts starts it: fsync off). Rounds alternate 1 and 2 workers and the
 * baselines. Also recorded, to tell where the time goes: the workers' CPU time per run, this
 * process's (the triggers), the PostgreSQL backends' of the round's database, PostgreSQL's
 * transactions per run, the wait from trigger to claim
 * (createdAt → startedAt) and the run itself (startedAt → finishedAt).
 */
import { type ChildProcess, spawn } from "node:child_process";
import {
  closeSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { Actor } from "../lib/access/actor";
import type { Db } from "../lib/db/client";
import type { RunEventChannel } from "../lib/events/run-events";
import { createDatabase, startPostgres } from "../tests/support/postgres";
import { onCleanup } from "./support/cleanup";
import { isAlive, signal, waitFor } from "./support/proc";
import { runStandalone } from "./support/runner";
import type { PreparedSource } from "./support/source";
import { type Summary, ms, ratio, summarize } from "./support/stats";
import { type BenchContext, type Benchmark, type Row, verdict } from "./support/types";

const RUNS = 1000;
const ENVIRONMENTS = 10;
const OPERATIONS = RUNS / ENVIRONMENTS;
const CONCURRENCY = 4;
const GOAL = 100;

type Modules = {
  createDb: typeof import("../lib/db/client").createDb;
  migrate: typeof import("../lib/db/migrate").migrate;
  newId: typeof import("../lib/ids").newId;
  deployEnvironment: typeof import("../lib/deployments/deploy-environment").deployEnvironment;
  startRun: typeof import("../lib/runs/start-run").startRun;
  openChannel: typeof import("../lib/events/open-channel").openChannel;
  installRunEvents: typeof import("../lib/events/process-channel").installRunEvents;
};

/** The measured copy's modules (same code and schema as its workers). */
async function loadModules(source: PreparedSource): Promise<Modules> {
  const load = <T>(rel: string) => import(pathToFileURL(path.join(source.dir, rel)).href) as Promise<T>;
  return {
    createDb: (await load<typeof import("../lib/db/client")>("lib/db/client.ts")).createDb,
    migrate: (await load<typeof import("../lib/db/migrate")>("lib/db/migrate.ts")).migrate,
    newId: (await load<typeof import("../lib/ids")>("lib/ids.ts")).newId,
    deployEnvironment: (
      await load<typeof import("../lib/deployments/deploy-environment")>(
        "lib/deployments/deploy-environment.ts",
      )
    ).deployEnvironment,
    startRun: (await load<typeof import("../lib/runs/start-run")>("lib/runs/start-run.ts")).startRun,
    openChannel: (await load<typeof import("../lib/events/open-channel")>("lib/events/open-channel.ts"))
      .openChannel,
    installRunEvents: (
      await load<typeof import("../lib/events/process-channel")>("lib/events/process-channel.ts")
    ).installRunEvents,
  };
}

/** An admin, a project, 10 environments deployed from one target with 100 `echo hi` operations. */
async function seed(m: Modules, db: Db, dir: string) {
  const target = path.join(dir, "target");
  mkdirSync(path.join(target, ".upsun"), { recursive: true });
  mkdirSync(path.join(target, "app"), { recursive: true });
  const ops = Array.from(
    { length: OPERATIONS },
    (_, i) => `      op-${i}:\n        commands:\n          start: "echo hi"\n`,
  ).join("");
  writeFileSync(
    path.join(target, ".upsun", "config.yaml"),
    `applications:\n  bench:\n    source:\n      root: app\n    operations:\n${ops}`,
  );
  const user = await db.user.create({
    data: { id: m.newId(), email: "admin@example.com", name: "Ada Admin", passwordHash: "x" },
  });
  const actor: Actor = { userId: user.id, email: user.email, name: user.name, source: "api" };
  const project = await db.project.create({ data: { id: m.newId(), slug: "bench", name: "Benchmarks" } });
  await db.membership.create({
    data: { id: m.newId(), projectId: project.id, userId: user.id, projectRole: "admin" },
  });
  const environments: string[] = [];
  for (let i = 0; i < ENVIRONMENTS; i++) {
    const env = await db.environment.create({
      data: {
        id: m.newId(),
        projectId: project.id,
        name: `env-${i}`,
        type: "development",
        targetPath: target,
      },
    });
    const deployed = await m.deployEnvironment(db, env.id, user.id);
    if (!deployed.ok) throw new Error(`the benchmark config does not deploy:\n${deployed.error}`);
    environments.push(env.id);
  }
  return { actor, environments };
}

/** CPU time (user + system) of a process so far, in ms; null when it is gone. */
function cpuMs(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const ticks = Number(f[11]) + Number(f[12]);
    return (ticks * 1000) / 100; // USER_HZ is 100 on Linux
  } catch {
    return null;
  }
}

/** CPU ms so far of the PostgreSQL backends serving `database` (their process title names it). */
function databaseCpuMs(database: string): number {
  let total = 0;
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const cmd = readFileSync(`/proc/${name}/cmdline`, "utf8");
      if (!cmd.startsWith("postgres: ") || !cmd.includes(` ${database} `)) continue;
      total += cpuMs(Number(name)) ?? 0;
    } catch {
      // gone
    }
  }
  return total;
}

/** The whole machine's busy share (all CPUs) between two /proc/stat samples. */
function cpuTimes(): { busy: number; total: number } {
  const f = (readFileSync("/proc/stat", "utf8").split("\n")[0] ?? "")
    .trim()
    .split(/\s+/)
    .slice(1)
    .map(Number);
  const total = f.reduce((a, b) => a + b, 0);
  const idle = (f[3] ?? 0) + (f[4] ?? 0);
  return { busy: total - idle, total };
}

type Worker = { child: ChildProcess; pid: number; log: string };

/** `runops worker` in the measured copy, logging to a file; resolves once it logged "worker started". */
async function startWorker(source: PreparedSource, url: string, dir: string, name: string): Promise<Worker> {
  const env: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (/^(RUNOPS_|NEXTAUTH_|DATABASE_URL$|NODE_OPTIONS$|NODE_ENV$)/.test(k)) continue;
    env[k] = v;
  }
  Object.assign(env, {
    DATABASE_URL: url,
    RUNOPS_DATA_DIR: dir,
    RUNOPS_WORKER_NAME: name,
    RUNOPS_WORKER_DRAIN_MS: "0",
  });
  // BENCH_SERVER_ENV="K=V …": settings for a diagnosis, as for the other benchmarks' servers.
  for (const pair of (process.env.BENCH_SERVER_ENV ?? "").split(/\s+/).filter(Boolean)) {
    const eq = pair.indexOf("=");
    if (eq > 0) env[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  const log = path.join(dir, `${name}.log`);
  const fd = openSync(log, "a");
  const child = spawn(process.execPath, ["--import", "tsx", "scripts/worker.ts"], {
    cwd: source.dir,
    env: env as NodeJS.ProcessEnv,
    stdio: ["ignore", fd, fd],
  });
  closeSync(fd);
  const pid = child.pid;
  if (pid === undefined) throw new Error("could not spawn runops worker");
  onCleanup(`worker ${pid}`, () => signal(pid, "SIGKILL"));
  await waitFor(
    `worker ${name} to start (log: ${log})`,
    () => {
      if (!isAlive(pid)) throw new Error(`worker ${name} exited:\n${readFileSync(log, "utf8").slice(-2000)}`);
      return /"msg":"worker started"/.test(readFileSync(log, "utf8"));
    },
    { timeoutMs: 60_000, everyMs: 50 },
  );
  return { child, pid, log };
}

async function stopWorker(w: Worker) {
  signal(w.pid, "SIGTERM");
  try {
    await waitFor(`worker ${w.pid} to stop`, () => !isAlive(w.pid), { timeoutMs: 15_000, everyMs: 50 });
  } catch {
    signal(w.pid, "SIGKILL");
  }
}

type RoundResult = {
  workers: number;
  ms: number;
  runsPerSecond: number;
  triggerMs: number;
  wait: Summary;
  run: Summary;
  workerCpuMsPerRun: number;
  postgresCpuMsPerRun: number;
  consoleCpuMsPerRun: number;
  machineBusy: number;
  transactionsPerRun: number;
  ok: boolean;
};

async function round(
  ctx: BenchContext,
  m: Modules,
  serverUrl: string,
  workers: number,
  rep: number,
): Promise<RoundResult> {
  const dir = mkdtempSync(path.join(tmpdir(), "runops-bench-p7-"));
  const removeDir = onCleanup(`temp dir ${dir}`, () => rmSync(dir, { recursive: true, force: true }));
  const url = await createDatabase(serverUrl, `p7_${workers}w_${rep}`);
  await m.migrate(url);
  const db = m.createDb(url);
  let channel: RunEventChannel | null = null;
  const started: Worker[] = [];
  try {
    const { actor, environments } = await seed(m, db, dir);
    channel = await m.openChannel("console", { databaseUrl: url, socketPath: path.join(dir, "unused.sock") });
    m.installRunEvents(channel);
    for (let i = 0; i < workers; i++) started.push(await startWorker(ctx.source, url, dir, `p7-worker-${i}`));
    const stats = async () =>
      (
        await db.$queryRaw<Array<{ xact: bigint }>>`
          SELECT xact_commit + xact_rollback AS xact FROM pg_stat_database WHERE datname = current_database()`
      )[0]?.xact ?? 0n;
    const xact0 = await stats();
    const database = new URL(url).pathname.slice(1);
    const cpu0 = started.map((w) => cpuMs(w.pid) ?? 0);
    const pg0 = databaseCpuMs(database);
    const self0 = process.cpuUsage();
    const machine0 = cpuTimes();

    const t0 = Date.now();
    const runs = await Promise.all(
      Array.from({ length: RUNS }, (_, i) =>
        m.startRun(db, actor, {
          environmentId: environments[i % ENVIRONMENTS] ?? "",
          app: "bench",
          operation: `op-${Math.floor(i / ENVIRONMENTS)}`,
        }),
      ),
    );
    const triggerMs = Date.now() - t0;
    await waitFor(
      `${RUNS} runs to complete`,
      async () => (await db.run.count({ where: { state: "complete" } })) === RUNS,
      { timeoutMs: 300_000, everyMs: 100 },
    );
    const cpu1 = started.map((w) => cpuMs(w.pid) ?? 0);
    const pg1 = databaseCpuMs(database);
    const self = process.cpuUsage(self0);
    const machine1 = cpuTimes();
    const rows = await db.run.findMany({
      where: { id: { in: runs.map((r) => r.id) } },
      select: { createdAt: true, startedAt: true, finishedAt: true, result: true, logBytes: true },
    });
    const last = Math.max(...rows.map((r) => r.finishedAt?.getTime() ?? Infinity));
    const elapsed = last - t0;
    for (const w of started.splice(0)) await stopWorker(w);
    // The workers' backends are gone: their statistics are flushed.
    await new Promise((r) => setTimeout(r, 1000));
    const xact = Number((await stats()) - xact0);
    const ok = rows.length === RUNS && rows.every((r) => r.result === "success" && r.logBytes === 3n);
    const workerCpu = cpu1.reduce((s, c, i) => s + (c - (cpu0[i] ?? 0)), 0);
    const result: RoundResult = {
      workers,
      ms: elapsed,
      runsPerSecond: (RUNS / elapsed) * 1000,
      triggerMs,
      wait: summarize(rows.map((r) => (r.startedAt?.getTime() ?? NaN) - r.createdAt.getTime())),
      run: summarize(rows.map((r) => (r.finishedAt?.getTime() ?? NaN) - (r.startedAt?.getTime() ?? NaN))),
      workerCpuMsPerRun: workerCpu / RUNS,
      postgresCpuMsPerRun: (pg1 - pg0) / RUNS,
      consoleCpuMsPerRun: (self.user + self.system) / 1000 / RUNS,
      machineBusy: (machine1.busy - machine0.busy) / (machine1.total - machine0.total),
      transactionsPerRun: xact / RUNS,
      ok,
    };
    ctx.log(
      `${workers} worker(s), rep ${rep + 1}: ${result.runsPerSecond.toFixed(0)} runs/s ` +
        `(${ms(elapsed)}; triggers ${ms(triggerMs)}; wait p50 ${ms(result.wait.median)}, run p50 ${ms(result.run.median)}; ` +
        `CPU/run: workers ${result.workerCpuMsPerRun.toFixed(1)} ms, triggers ${result.consoleCpuMsPerRun.toFixed(1)} ms, ` +
        `PostgreSQL ${result.postgresCpuMsPerRun.toFixed(1)} ms; ` +
        `machine ${(result.machineBusy * 100).toFixed(0)}% busy, ${result.transactionsPerRun.toFixed(1)} transactions/run` +
        `${ok ? "" : "; NOT ALL SUCCESSFUL"})`,
    );
    return result;
  } finally {
    for (const w of started) await stopWorker(w);
    await channel?.close();
    await db.$disconnect();
    await removeDir();
  }
}

/**
 * The same commands bare, `concurrency` at a time, from a fresh small Node process (this one grows
 * with every round, and a fork costs in proportion to the parent's memory): runs/s. Each is
 * `/bin/sh -c 'echo hi'` in its own process group, its output read.
 */
async function bare(appDir: string, concurrency: number): Promise<number> {
  const script = `
    const { spawn } = require("node:child_process");
    const [runs, concurrency] = process.argv.slice(1).map(Number);
    let next = 0;
    const one = () => new Promise((resolve, reject) => {
      const child = spawn("/bin/sh", ["-c", "echo hi"], { detached: true, stdio: ["ignore", "pipe", "pipe"] });
      child.stdout.resume();
      child.stderr.resume();
      child.once("error", reject);
      child.once("close", (code) => (code === 0 ? resolve() : reject(new Error("exit " + code))));
    });
    const t0 = performance.now();
    Promise.all(Array.from({ length: concurrency }, async () => { while (next++ < runs) await one(); }))
      .then(() => console.log(JSON.stringify({ ms: performance.now() - t0 })));`;
  const child = spawn(process.execPath, ["-e", script, String(RUNS), String(concurrency)], {
    cwd: appDir,
    stdio: ["ignore", "pipe", "inherit"],
  });
  let out = "";
  child.stdout.on("data", (d: Buffer) => (out += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.once("close", resolve));
  if (code !== 0) throw new Error(`the baseline process exited with ${code}`);
  const { ms: elapsed } = JSON.parse(out) as { ms: number };
  return (RUNS / elapsed) * 1000;
}

export const p7: Benchmark = {
  id: "p7",
  title: "Dispatch on PostgreSQL: 1,000 runs triggered at once, 1 and 2 workers",
  async run(ctx: BenchContext) {
    const m = await loadModules(ctx.source);
    const pg = await startPostgres();
    const stopPg = onCleanup("PostgreSQL", () => pg.stop());
    const scratch = mkdtempSync(path.join(tmpdir(), "runops-bench-p7-bare-"));
    const removeScratch = onCleanup(`temp dir ${scratch}`, () =>
      rmSync(scratch, { recursive: true, force: true }),
    );
    try {
      const reps = ctx.quick ? 1 : 3;
      ctx.log(`${reps} × (bare ×4, 1 worker, bare ×8, 2 workers), ${RUNS} runs each`);
      const results: Record<1 | 2, RoundResult[]> = { 1: [], 2: [] };
      const bareRates: Record<1 | 2, number[]> = { 1: [], 2: [] };
      for (let rep = 0; rep < reps; rep++) {
        for (const workers of [1, 2] as const) {
          const rate = await bare(scratch, workers * CONCURRENCY);
          bareRates[workers].push(rate);
          ctx.log(`bare, ${workers * CONCURRENCY} at a time: ${rate.toFixed(0)} runs/s`);
          results[workers].push(await round(ctx, m, pg.url, workers, rep));
        }
      }
      const rows: Row[] = [];
      const data: Record<string, unknown> = {
        runs: RUNS,
        environments: ENVIRONMENTS,
        operations: OPERATIONS,
      };
      for (const workers of [1, 2] as const) {
        const rates = summarize(results[workers].map((r) => r.runsPerSecond));
        const base = summarize(bareRates[workers]);
        const allOk = results[workers].every((r) => r.ok);
        const median = [...results[workers]].sort((a, b) => a.runsPerSecond - b.runsPerSecond)[
          Math.floor(results[workers].length / 2)
        ];
        rows.push({
          id: "P7",
          measure: `${RUNS} echo runs, trigger → all complete, ${workers} worker${workers > 1 ? "s" : ""} × ${CONCURRENCY}, median (n=${reps})`,
          runops: `${rates.median.toFixed(0)} runs/s`,
          baseline: `${base.median.toFixed(0)} runs/s (bare, ${workers * CONCURRENCY} at a time)`,
          goal: `${ratio(rates.median, base.median)} of bare${workers === 2 ? ` · goal ≥ ${GOAL} runs/s` : ""}`,
          verdict: !allOk ? "miss" : workers === 2 ? verdict(rates.median >= GOAL) : "info",
        });
        if (median) {
          rows.push({
            id: "P7",
            measure: `${workers} worker${workers > 1 ? "s" : ""}: where the time goes (median round)`,
            runops:
              `CPU/run: workers ${median.workerCpuMsPerRun.toFixed(1)} ms, triggers ${median.consoleCpuMsPerRun.toFixed(1)} ms, ` +
              `PostgreSQL ${median.postgresCpuMsPerRun.toFixed(1)} ms; ${median.transactionsPerRun.toFixed(1)} transactions/run`,
            baseline: `machine ${(median.machineBusy * 100).toFixed(0)}% busy`,
            goal: `trigger→claim p50 ${ms(median.wait.median)}, run p50 ${ms(median.run.median)}`,
            verdict: "info",
          });
        }
        data[`workers${workers}`] = { rounds: results[workers], bare: bareRates[workers] };
      }
      return { rows, data };
    } finally {
      await removeScratch();
      await stopPg();
    }
  },
};

runStandalone(p7, import.meta.url);
