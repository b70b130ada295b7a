/**
 * `npx tsx bench/claim-queue.ts [--runs=2000] [--keys=50] [--reps=3] [--claimers=1,2,4,8]`: the
 * dispatch claim on PostgreSQL (docs/decisions/0009), the statement before that decision (one
 * global advisory lock per claim, then the pending runs read into the worker) against the ones
 * after it (FOR UPDATE SKIP LOCKED with a lock per queue key), through Prisma (`claimNextRun`) and
 * through the driver (`createRunClaimer`, as a worker process claims).
 *
 * For each statement and each number of claimers: `--runs` pending runs of one pool over `--keys`
 * queue keys (round-robin, so every queue is runs/keys deep), then that many claimer processes
 * (separate Node processes with their own connection pools, as workers are) claim until nothing is
 * pending; a claimer ends each run it claimed at once (one UPDATE, as finishRun does), which frees
 * its queue for the next run. Measured: claims/s (all runs claimed, from the start signal to the
 * last claimer done) and the latency of each successful claim (the call, as the worker makes it).
 * Every run must be claimed exactly once. PostgreSQL as tests/support/postgres.ts starts it (fsync
 * off); the table is ANALYZEd after the load. A diagnosis aid, not part of the suite.
 */
import { type ChildProcess, fork } from "node:child_process";
import os from "node:os";
import { fileURLToPath } from "node:url";
import { type Db, createDb } from "../lib/db/client";
import { migrate } from "../lib/db/migrate";
import { newId } from "../lib/ids";
import { claimNextRun, createRunClaimer } from "../lib/runs/claim-run";
import { startPostgres } from "../tests/support/postgres";
import { cleanupAll, onCleanup } from "./support/cleanup";
import { ms, summarize } from "./support/stats";

const arg = (name: string, fallback: string) =>
  process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;

/**
 * advisory-lock: the claim before decision 0009; skip-locked: claimNextRun (through Prisma, as
 * in-process workers and tests claim); skip-locked-pg: the same statements through the driver
 * (createRunClaimer, what a `runops worker` process uses).
 */
type Variant = "advisory-lock" | "skip-locked" | "skip-locked-pg";
const VARIANTS: Variant[] = ["advisory-lock", "skip-locked", "skip-locked-pg"];
const LEASE_MS = 10_000;

/** The claim before decision 0009, kept here for the comparison only. */
async function claimWithGlobalLock(db: Db, worker: { id: string; label: string }, leaseMs: number) {
  return db.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(${72_201_001})`;
    const busy = await tx.run.findMany({
      where: { state: "in_progress" },
      select: { queueKey: true },
      distinct: ["queueKey"],
    });
    const blocked = new Set(busy.map((r) => r.queueKey));
    const pending = await tx.run.findMany({
      where: { state: "pending" },
      orderBy: { id: "asc" },
      take: 200,
      select: { id: true, queueKey: true },
    });
    for (const candidate of pending) {
      if (blocked.has(candidate.queueKey)) continue;
      blocked.add(candidate.queueKey);
      const now = new Date();
      const claimed = await tx.run.updateMany({
        where: { id: candidate.id, state: "pending" },
        data: {
          state: "in_progress",
          workerId: worker.id,
          workerLabel: worker.label,
          startedAt: now,
          leaseUntil: new Date(now.getTime() + leaseMs),
        },
      });
      if (claimed.count === 1) return tx.run.findUniqueOrThrow({ where: { id: candidate.id } });
    }
    return null;
  });
}

type ChildReport = { latencies: number[]; claimed: string[]; empty: number };

/** One claimer process: claims (and ends) runs until nothing is pending, then reports. */
async function claimer(url: string, variant: Variant, name: string) {
  const db = createDb(url);
  await db.$queryRaw`SELECT 1`;
  const worker = { id: name, label: `${name} (bench)`, pool: "default" };
  const claimer = createRunClaimer(db, url);
  const claim = async () =>
    variant === "skip-locked-pg"
      ? ((await claimer.claim(worker, LEASE_MS, 1))[0] ?? null)
      : variant === "skip-locked"
        ? claimNextRun(db, "postgresql", worker, LEASE_MS)
        : claimWithGlobalLock(db, worker, LEASE_MS);
  process.send?.({ type: "ready" });
  await new Promise<void>((resolve) => process.once("message", () => resolve()));
  const report: ChildReport = { latencies: [], claimed: [], empty: 0 };
  for (;;) {
    const t0 = performance.now();
    const run = await claim();
    const t = performance.now() - t0;
    if (run) {
      report.latencies.push(t);
      report.claimed.push(run.id);
      await db.$executeRaw`UPDATE "Run" SET state = 'complete', result = 'success', "finishedAt" = ${new Date()}, "leaseUntil" = NULL WHERE id = ${run.id} AND "workerId" = ${worker.id}`;
      continue;
    }
    // Nothing claimable now: done when nothing is pending; else every pending queue is busy
    // for a moment (another claimer is ending its run): claim again.
    report.empty++;
    const [left] = await db.$queryRaw<
      Array<{ n: number }>
    >`SELECT count(*)::int AS n FROM "Run" WHERE state = 'pending'`;
    if ((left?.n ?? 0) === 0) break;
  }
  await claimer.close();
  await db.$disconnect();
  process.send?.({ type: "done", report });
}

async function load(db: Db, runs: number, keys: number) {
  await db.$executeRaw`DELETE FROM "Run"`;
  const user = await db.user.upsert({
    where: { email: "bench@example.com" },
    create: { id: newId(), email: "bench@example.com", name: "bench", passwordHash: "x" },
    update: {},
  });
  const project = await db.project.upsert({
    where: { slug: "bench" },
    create: { id: newId(), slug: "bench", name: "bench" },
    update: {},
  });
  const env =
    (await db.environment.findFirst({ where: { projectId: project.id } })) ??
    (await db.environment.create({
      data: { id: newId(), projectId: project.id, name: "main", type: "development", targetPath: "/tmp" },
    }));
  const deployment =
    (await db.deployment.findFirst({ where: { environmentId: env.id } })) ??
    (await db.deployment.create({ data: { id: newId(), environmentId: env.id, ok: true, config: "{}" } }));
  const rows = Array.from({ length: runs }, (_, i) => {
    const operation = `op-${i % keys}`;
    return {
      id: newId(),
      environmentId: env.id,
      deploymentId: deployment.id,
      app: "bench",
      operation,
      role: "viewer",
      command: "echo hi",
      appDir: "/tmp",
      queueKey: JSON.stringify([env.id, "bench", "", operation]),
      state: "pending",
      source: "api",
      triggeredById: user.id,
    };
  });
  await db.run.createMany({ data: rows });
  await db.$executeRawUnsafe('VACUUM ANALYZE "Run"');
  return rows.map((r) => r.id);
}

async function round(url: string, variant: Variant, claimers: number, ids: string[]) {
  const children: ChildProcess[] = [];
  const reports: Promise<ChildReport>[] = [];
  const ready: Promise<void>[] = [];
  for (let i = 0; i < claimers; i++) {
    const child = fork(fileURLToPath(import.meta.url), ["--claimer", url, variant, `claimer-${i}`], {
      execArgv: ["--import", "tsx"],
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    onCleanup(`claimer ${child.pid}`, () => void child.kill("SIGKILL"));
    children.push(child);
    ready.push(new Promise((resolve) => child.once("message", () => resolve())));
    reports.push(
      new Promise((resolve, reject) => {
        child.on("message", (m: { type: string; report?: ChildReport }) => {
          if (m.type === "done" && m.report) resolve(m.report);
        });
        child.once("exit", (code) => code !== 0 && reject(new Error(`claimer exited with ${code}`)));
      }),
    );
  }
  await Promise.all(ready);
  const t0 = performance.now();
  for (const child of children) child.send("go");
  const done = await Promise.all(reports);
  const wall = performance.now() - t0;
  const claimed = done.flatMap((r) => r.claimed);
  // At most once: every run claimed by exactly one claimer.
  if (claimed.length !== ids.length || new Set(claimed).size !== ids.length) {
    throw new Error(`${variant} × ${claimers}: ${claimed.length} claims of ${ids.length} runs`);
  }
  return {
    claimsPerSecond: (ids.length / wall) * 1000,
    latencies: done.flatMap((r) => r.latencies),
    empty: done.reduce((s, r) => s + r.empty, 0),
  };
}

async function main() {
  const runs = Number(arg("runs", "2000"));
  const keys = Number(arg("keys", "50"));
  const reps = Number(arg("reps", "3"));
  const counts = arg("claimers", "1,2,4,8").split(",").map(Number);
  const pg = await startPostgres();
  onCleanup("PostgreSQL", () => pg.stop());
  await migrate(pg.url);
  const db = createDb(pg.url);
  onCleanup("database", () => db.$disconnect());
  console.error(
    `bench: ${runs} pending runs over ${keys} queue keys, ${reps} rounds per cell, ` +
      `${os.cpus().length} CPUs, load average ${os.loadavg()[0]?.toFixed(2)}`,
  );
  type Cell = { variant: Variant; claimers: number; rates: number[]; latencies: number[]; empty: number };
  const cells: Cell[] = [];
  for (const claimers of counts) {
    for (const variant of VARIANTS) cells.push({ variant, claimers, rates: [], latencies: [], empty: 0 });
  }
  // Rounds alternate the cells, so that whatever else the machine does weighs on all of them alike.
  for (let rep = 0; rep < reps; rep++) {
    for (const cell of cells) {
      const ids = await load(db, runs, keys);
      const r = await round(pg.url, cell.variant, cell.claimers, ids);
      cell.rates.push(r.claimsPerSecond);
      cell.latencies.push(...r.latencies);
      cell.empty += r.empty;
      console.error(
        `rep ${rep + 1}: ${cell.variant} × ${cell.claimers}: ${r.claimsPerSecond.toFixed(0)} claims/s`,
      );
    }
  }
  console.log("\n| claim | claimers | claims/s (median of rounds) | p50 claim | p99 claim | empty claims |");
  console.log("| --- | ---: | ---: | ---: | ---: | ---: |");
  for (const c of cells) {
    const l = summarize(c.latencies);
    console.log(
      `| ${c.variant} | ${c.claimers} | ${summarize(c.rates).median.toFixed(0)} | ${ms(l.median)} | ${ms(l.p99)} | ${c.empty} |`,
    );
  }
  console.log(
    `\nload average after: ${os
      .loadavg()
      .map((x) => x.toFixed(2))
      .join(" ")}`,
  );
}

if (process.argv[2] === "--claimer") {
  const [, , , url, variant, name] = process.argv;
  const known = VARIANTS.find((v) => v === variant) ?? "advisory-lock";
  claimer(url ?? "", known, name ?? "claimer").catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
} else {
  main()
    .catch((error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    })
    .finally(() => cleanupAll());
}
