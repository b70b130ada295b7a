/**
 * `npx tsx bench/sql-count.ts [--source=worktree|HEAD|<commit>] [--postgres] [--full]`: SQL
 * statements and time of the use cases behind the benchmarked paths, called in-process (no HTTP,
 * no Next.js) on a fresh SQLite (or PostgreSQL) database through a driver adapter that counts
 * every statement. The REQUEST cases are what an API route handler runs after the builder (bearer
 * token included, its address throttle not: that has its own store). A diagnosis aid for
 * docs/benchmarks.md: it tells a query-count problem from a Prisma, a database or a framework one.
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { SqlDriverAdapter, SqlQuery, Transaction } from "@prisma/driver-adapter-utils";
import type { Db } from "../lib/db/client";
import { startPostgres } from "../tests/support/postgres";
import { cleanupAll, onCleanup } from "./support/cleanup";
import { generateHistory } from "./support/generate-runs";
import { parseSourceSpec, prepareSource } from "./support/source";
import { ms, summarize } from "./support/stats";

type Statement = { sql: string; ms: number };

/** Counts and times every statement an adapter runs (transactions included). */
function counting(adapter: SqlDriverAdapter, log: Statement[]): SqlDriverAdapter {
  const timed =
    <T>(fn: (q: SqlQuery) => Promise<T>) =>
    async (q: SqlQuery) => {
      const t0 = performance.now();
      try {
        return await fn(q);
      } finally {
        log.push({ sql: q.sql, ms: performance.now() - t0 });
      }
    };
  const wrapTx = (tx: Transaction): Transaction =>
    new Proxy(tx, {
      get(target, prop, receiver) {
        if (prop === "queryRaw") return timed((q) => target.queryRaw(q));
        if (prop === "executeRaw") return timed((q) => target.executeRaw(q));
        const value = Reflect.get(target, prop, receiver) as unknown;
        return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    });
  return new Proxy(adapter, {
    get(target, prop, receiver) {
      if (prop === "queryRaw") return timed((q) => target.queryRaw(q));
      if (prop === "executeRaw") return timed((q) => target.executeRaw(q));
      if (prop === "startTransaction")
        return async (...args: Parameters<SqlDriverAdapter["startTransaction"]>) =>
          wrapTx(await target.startTransaction(...args));
      const value = Reflect.get(target, prop, receiver) as unknown;
      return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

async function main() {
  const spec = parseSourceSpec(
    process.argv.find((a) => a.startsWith("--source="))?.slice("--source=".length),
  );
  const source = prepareSource(spec);
  const load = <T>(rel: string) => import(pathToFileURL(path.join(source.dir, rel)).href) as Promise<T>;
  const req = createRequire(path.join(source.dir, "package.json"));

  const dir = mkdtempSync(path.join(tmpdir(), "runops-bench-sql-"));
  onCleanup("temp dir", () => rmSync(dir, { recursive: true, force: true }));
  const postgres = process.argv.includes("--postgres");
  let url = `file:${path.join(dir, "bench.db")}`;
  if (postgres) {
    const pg = await startPostgres();
    onCleanup("PostgreSQL", () => pg.stop());
    url = pg.url;
  }
  const { migrate } = await load<typeof import("../lib/db/migrate")>("lib/db/migrate.ts");
  await migrate(url);

  const statements: Statement[] = [];
  const { createDb } = await load<{
    createDb: (url: string, options?: { observe?: (a: SqlDriverAdapter) => SqlDriverAdapter }) => Db;
  }>("lib/db/client.ts");
  // createDb(url, { observe }) is the one way to a client; copies from before it had none (length 1).
  const db =
    createDb.length >= 2 ? createDb(url, { observe: (a) => counting(a, statements) }) : await olderClient();

  /** A client for copies whose createDb cannot be observed: the adapters as they were made then. */
  async function olderClient(): Promise<Db> {
    const { PrismaClient } = await load<{ PrismaClient: new (o: { adapter: unknown }) => Db }>(
      postgres ? "lib/db/generated/postgres/client.ts" : "lib/db/generated/sqlite/client.ts",
    );
    let adapter: { provider: string; adapterName: string; connect: () => Promise<SqlDriverAdapter> };
    if (postgres) {
      const { PrismaPg } = (await import(
        pathToFileURL(req.resolve("@prisma/adapter-pg")).href
      )) as typeof import("@prisma/adapter-pg");
      const factory = new PrismaPg({ connectionString: url });
      adapter = {
        provider: "postgres",
        adapterName: factory.adapterName,
        connect: async () => counting(await factory.connect(), statements),
      };
    } else {
      const { PrismaBetterSqlite3 } = (await import(
        pathToFileURL(req.resolve("@prisma/adapter-better-sqlite3")).href
      )) as typeof import("@prisma/adapter-better-sqlite3");
      const factory = new PrismaBetterSqlite3({ url: path.join(dir, "bench.db"), timeout: 5000 });
      adapter = {
        provider: "sqlite",
        adapterName: factory.adapterName,
        connect: async () => {
          const a = await factory.connect();
          await a.executeScript(
            "PRAGMA busy_timeout = 5000; PRAGMA foreign_keys = ON; PRAGMA journal_mode = WAL;",
          );
          return counting(a, statements);
        },
      };
    }
    return new PrismaClient({ adapter });
  }
  onCleanup("database", () => db.$disconnect());

  // The world: the demo, a benchmark project, a token, 1,000 generated runs, one 4 MiB log.
  const { seedDemo } = await load<typeof import("../lib/seed/seed-demo")>("lib/seed/seed-demo.ts");
  await seedDemo(db, source.dir);
  const { newId } = await load<typeof import("../lib/ids")>("lib/ids.ts");
  const { deployEnvironment } = await load<typeof import("../lib/deployments/deploy-environment")>(
    "lib/deployments/deploy-environment.ts",
  );
  const { createApiToken } = await load<typeof import("../lib/tokens/create-api-token")>(
    "lib/tokens/create-api-token.ts",
  );
  const target = path.join(dir, "target");
  mkdirSync(path.join(target, ".upsun"), { recursive: true });
  mkdirSync(path.join(target, "app"));
  writeFileSync(
    path.join(target, ".upsun", "config.yaml"),
    'applications:\n  bench:\n    type: "nodejs:20"\n    source:\n      root: app\n    operations:\n      echo-hi:\n        commands:\n          start: "echo hi"\n',
  );
  const admin = await db.user.findUniqueOrThrow({ where: { email: "admin@example.com" } });
  const actor = { userId: admin.id, email: admin.email, name: admin.name, source: "api" as const };
  const project = await db.project.create({ data: { id: newId(), slug: "bench", name: "Benchmarks" } });
  await db.membership.create({
    data: { id: newId(), projectId: project.id, userId: admin.id, projectRole: "admin" },
  });
  const env = await db.environment.create({
    data: { id: newId(), projectId: project.id, name: "main", type: "development", targetPath: target },
  });
  const deployed = await deployEnvironment(db, env.id, admin.id);
  if (!deployed.ok) throw new Error(deployed.error);
  const { secret } = await createApiToken(db, actor, { name: "bench", expiresInDays: 1 });
  await generateHistory(
    { provider: postgres ? "postgresql" : "sqlite", url, sourceDir: source.dir, db },
    {
      environmentId: env.id,
      deploymentId: deployed.deploymentId,
      appDir: path.join(target, "app"),
      count: 1000,
      operations: ["echo-hi"],
      users: [{ id: admin.id, weight: 1 }],
      seed: 1,
    },
  );

  const { authenticateToken } = await load<typeof import("../lib/tokens/authenticate-token")>(
    "lib/tokens/authenticate-token.ts",
  );
  const { getEnvironment } = await load<typeof import("../lib/environments/get-environment")>(
    "lib/environments/get-environment.ts",
  );
  const startRunModule = await load<typeof import("../lib/runs/start-run")>("lib/runs/start-run.ts");
  const { startRun } = startRunModule;
  const { cancelRun } = await load<typeof import("../lib/runs/cancel-run")>("lib/runs/cancel-run.ts");
  const { getProject } = await load<typeof import("../lib/projects/get-project")>(
    "lib/projects/get-project.ts",
  );
  const { resolveEnvironmentId } = await load<typeof import("../lib/api/resolve-environment")>(
    "lib/api/resolve-environment.ts",
  );
  // Since issue 11 the API routes address the environment by name in the use case's own first read
  // (no resolveEnvironmentId) and the cancel route answers cancelRun's result (no getRun after it).
  const byName = await load<object>("lib/environments/get-environment-access.ts").then(
    () => true,
    () => false,
  );
  type ListRef = Parameters<typeof listRuns>[2];
  const named = { projectSlug: "bench", environmentName: "main" };
  const { getRun } = await load<typeof import("../lib/runs/get-run")>("lib/runs/get-run.ts");
  const { listRuns } = await load<typeof import("../lib/runs/list-runs")>("lib/runs/list-runs.ts");
  const { claimNextRun } = await load<typeof import("../lib/runs/claim-run")>("lib/runs/claim-run.ts");
  // Loosely typed: the log write path is being reworked (its store was Prisma, then a ChunkStore).
  const { RunLogWriter } = await load<{
    RunLogWriter: new (
      store: unknown,
      announce: (seq: number) => void,
      runId: string,
      opts: { flushMs: number; flushBytes: number; capBytes: number; bufferBytes: number; holder: null },
      startSeq?: number,
    ) => { write(stream: "stdout", data: Buffer): boolean; close(): Promise<void> };
  }>("lib/logs/run-log-writer.ts");
  const chunkStore = await load<{ createChunkStore?: (url: string) => { close(): Promise<void> } }>(
    "lib/logs/chunk-store.ts",
  ).then(
    (m) => m.createChunkStore?.(url),
    () => undefined,
  );
  if (chunkStore) onCleanup("chunk store", () => chunkStore.close());
  const { readChunks } = await load<typeof import("../lib/logs/read-log")>("lib/logs/read-log.ts");
  // Optional modules (the log storage is being reworked): measured when present.
  const readLines = await load<{
    readLines?: (db: Db, runId: string, from: number, to: number) => Promise<{ total: number }>;
  }>("lib/logs/read-lines.ts").then(
    (m) => m.readLines,
    () => undefined,
  );

  // A run with a 4 MiB log of 64-byte lines, written the way the worker writes it.
  const logRun = await startRun(db, actor, { environmentId: env.id, operation: "echo-hi" });
  await db.run.update({ where: { id: logRun.id }, data: { state: "in_progress", startedAt: new Date() } });
  const line = Buffer.from("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ+\n");
  const piece = Buffer.concat(Array.from({ length: 1024 }, () => line)); // 64 KiB, as a pipe read
  const writeMiB = async () => {
    const writer = new RunLogWriter(
      chunkStore ?? db,
      () => undefined,
      logRun.id,
      {
        holder: null,
        flushMs: 50,
        flushBytes: 256 * 1024,
        capBytes: 2 ** 31,
        bufferBytes: 8 * 1024 * 1024,
      },
      (await db.run.findUniqueOrThrow({ where: { id: logRun.id } })).logSeq,
    );
    for (let i = 0; i < 16; i++) writer.write("stdout", piece);
    await writer.close();
  };

  // Ends what the previous call left pending, uncounted, so pending runs do not pile up.
  const settle = async () => {
    await db.run.updateMany({ where: { state: "pending" }, data: { state: "cancelled" } });
    return "";
  };
  const pendingRun = async () =>
    (await startRun(db, actor, { environmentId: env.id, operation: "echo-hi" })).id;
  /** What each API route handler does after the builder resolved the bearer token (counted too). */
  const request = {
    trigger: async () => {
      await authenticateToken(db, secret);
      const run =
        byName && startRunModule.startRunIn
          ? await startRunModule.startRunIn(db, actor, "bench", "main", { operation: "echo-hi" })
          : await startRun(db, actor, {
              environmentId: await resolveEnvironmentId(db, "bench", "main"),
              operation: "echo-hi",
            });
      return run.id;
    },
    list: async () => {
      await authenticateToken(db, secret);
      const ref = (byName ? named : await resolveEnvironmentId(db, "bench", "main")) as ListRef;
      return listRuns(db, actor, ref, { limit: 50 });
    },
    cancel: async (runId: string) => {
      await authenticateToken(db, secret);
      await cancelRun(db, actor, runId);
      if (!byName) await getRun(db, actor, runId);
    },
  };

  const cases: Array<{
    name: string;
    fn: (prepared: string) => Promise<unknown>;
    /** Not counted: what each call needs first (a pending run to cancel). */
    prepare?: () => Promise<string>;
    reps?: number;
  }> = [
    { name: "REQUEST POST …/runs (trigger): token + startRun", fn: request.trigger, prepare: settle },
    { name: "REQUEST GET …/runs?limit=50 (list runs): token + listRuns", fn: request.list },
    {
      name: "REQUEST GET /runs/{id}/log (open the log): token + getRun",
      fn: async () => {
        await authenticateToken(db, secret);
        return getRun(db, actor, logRun.id);
      },
    },
    { name: "REQUEST POST /runs/{id}/cancel: token + cancelRun", fn: request.cancel, prepare: pendingRun },
    {
      name: "REQUEST GET …/operations: token + getEnvironment",
      fn: async () => {
        await authenticateToken(db, secret);
        return getEnvironment(db, actor, "bench", "main");
      },
    },
    {
      name: "REQUEST GET /projects/{p}/environments: token + getProject",
      fn: async () => {
        await authenticateToken(db, secret);
        return getProject(db, actor, "bench");
      },
    },
    { name: "authenticateToken (every API request)", fn: () => authenticateToken(db, secret) },
    { name: "getEnvironment (POST and GET …/runs)", fn: () => getEnvironment(db, actor, "bench", "main") },
    {
      name: "startRun (POST …/runs)",
      fn: () => startRun(db, actor, { environmentId: env.id, operation: "echo-hi" }),
      prepare: settle,
    },
    { name: "getRun (202 body, GET run, GET log)", fn: () => getRun(db, actor, logRun.id) },
    {
      name: "Prisma alone: run.findUnique, no include",
      fn: () => db.run.findUnique({ where: { id: logRun.id } }),
    },
    {
      name: "Prisma alone: run.findUnique, include environment.project and triggeredBy (as getRun)",
      fn: () =>
        db.run.findUnique({
          where: { id: logRun.id },
          include: {
            environment: { include: { project: true } },
            triggeredBy: { select: { id: true, name: true, email: true } },
          },
        }),
    },
    { name: "listRuns, 50 (GET …/runs)", fn: () => listRuns(db, actor, env.id, { limit: 50 }) },
    { name: "cancelRun, a pending run", fn: (id) => cancelRun(db, actor, id), prepare: pendingRun },
    { name: "getProject (GET …/environments, project page)", fn: () => getProject(db, actor, "bench") },
    {
      name: "claimNextRun, nothing pending (worker, every second)",
      fn: () => claimNextRun(db, postgres ? "postgresql" : "sqlite", { id: "w", label: "w" }, 30000),
    },
    {
      name: `RunLogWriter: 1 MiB in 64 KiB reads, stored${chunkStore ? " (chunk store: own connection, not counted)" : ""}`,
      fn: writeMiB,
      reps: 8,
    },
    {
      name: "readChunks, 1,000 after seq 0 (SSE catch-up page)",
      fn: () => readChunks(db, logRun.id, 0, 1000),
      reps: 8,
    },
  ];
  if (readLines) {
    cases.push({
      name: "readLines: last 1,000 lines (the viewer's tail)",
      fn: async () => {
        const { total } = await readLines(db, logRun.id, 0, 0);
        return readLines(db, logRun.id, Math.max(0, total - 1000), total);
      },
      reps: 8,
    });
  }

  console.log(
    `${source.description}: statements and time per call (in-process, ${postgres ? "PostgreSQL" : "SQLite"}, median)\n`,
  );
  for (const c of cases) {
    await c.fn((await c.prepare?.()) ?? ""); // warm
    const times: number[] = [];
    const counts: number[] = [];
    let sample: Statement[] = [];
    for (let i = 0; i < (c.reps ?? 30); i++) {
      const prepared = (await c.prepare?.()) ?? "";
      statements.length = 0;
      const t0 = performance.now();
      await c.fn(prepared);
      times.push(performance.now() - t0);
      counts.push(statements.length);
      sample = [...statements];
    }
    const dbTime = sample.reduce((s, x) => s + x.ms, 0);
    console.log(
      `${c.name}\n  ${summarize(counts).median} statements, ${ms(summarize(times).median)} per call ` +
        `(of which ${ms(dbTime)} waiting on the adapter in the last call)`,
    );
    const width = process.argv.includes("--full") ? Infinity : 150;
    for (const s of sample)
      console.log(`    ${ms(s.ms).padStart(8)}  ${s.sql.replace(/\s+/g, " ").slice(0, width)}`);
  }
}

main()
  .catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(() => cleanupAll());
