/**
 * P5 — run history at 1,000,000 runs, through the API (GET …/environments/{env}/runs, bearer
 * token, 50 a page): the first page and a deep page (keyset cursor 900,000 runs down), without
 * and with filters, on SQLite and on PostgreSQL.
 * Baseline: the same requests on an environment with 1,000 runs (same database, cursor 900 down).
 * Goal: p50 ≤ 20 ms, and flat with depth (deep page p50 ≤ 1.5 × first page p50 + 2 ms).
 *
 * The runs are generated with bulk inserts straight into the database (bench/support/
 * generate-runs.ts): 10 operations, 10% failures, 1% cancelled, three users. Requests for the
 * two environments alternate, and every shape is requested once per round (rounds repeated), so
 * that other work on the machine weighs on all shapes alike; the first 20 rounds are warm-up.
 * After the load, PostgreSQL gets VACUUM ANALYZE (autovacuum would do it) and SQLite a WAL
 * checkpoint; SQLite gets no ANALYZE (runops never runs it).
 */
import { startPostgres } from "../tests/support/postgres";
import { onCleanup } from "./support/cleanup";
import { createFixture } from "./support/fixture";
import { generateHistory } from "./support/generate-runs";
import { Api } from "./support/http";
import { runStandalone } from "./support/runner";
import { startServer } from "./support/server";
import { type Summary, ms, ratio, summarize } from "./support/stats";
import { type BenchContext, type Benchmark, type Row, verdict } from "./support/types";

const BIG = 1_000_000;
const SMALL = 1_000;
const DEPTH = 0.9;
const OPERATIONS = Array.from({ length: 10 }, (_, i) => `op-${i}`);

const FILTERS: Array<{ name: string; query: string }> = [
  { name: "no filter", query: "" },
  { name: "operation (10%)", query: "operation=op-3" },
  { name: "result=failure (10%)", query: "result=failure" },
  { name: "user by email (30%)", query: "user=dev%40example.com" },
  { name: "state=cancelled (1%)", query: "state=cancelled" },
];

interface ShapeResult {
  filter: string;
  big: { first: Summary; deep: Summary };
  small: { first: Summary; deep: Summary };
}

async function timed(api: Api, path: string): Promise<number> {
  const t0 = performance.now();
  const res = await api.send("GET", path);
  const t = performance.now() - t0;
  if (res.status !== 200) throw new Error(`GET ${path}: ${res.status} ${res.body.toString().slice(0, 300)}`);
  const body = JSON.parse(res.body.toString()) as { runs: unknown[] };
  if (body.runs.length === 0) throw new Error(`GET ${path}: no runs (the generated history is not visible)`);
  return t;
}

async function measureDatabase(
  ctx: BenchContext,
  label: string,
  databaseUrl: string | undefined,
): Promise<{ rows: Row[]; data: Record<string, unknown> }> {
  const provider = databaseUrl ? "postgresql" : "sqlite";
  const server = await startServer({
    source: ctx.source,
    name: `p5-${provider}`,
    databaseUrl,
    cpuProfileDir: ctx.cpuProfileDir,
  });
  const fx = await createFixture(
    server,
    ctx.source,
    Object.fromEntries(OPERATIONS.map((o) => [o, "echo generated"])),
    ["big", "small"],
  );
  const api = new Api(server.url, fx.token);
  try {
    const users = await fx.db.user.findMany({ orderBy: { email: "asc" } });
    const weights: Record<string, number> = {
      "admin@example.com": 5,
      "dev@example.com": 3,
      "viewer@example.com": 2,
    };
    const spec = (env: "big" | "small", count: number, seed: number) => ({
      environmentId: fx.environments[env]?.id ?? "",
      deploymentId: fx.environments[env]?.deploymentId ?? "",
      appDir: fx.appDir,
      count,
      operations: OPERATIONS,
      users: users.map((u) => ({ id: u.id, weight: weights[u.email] ?? 1 })),
      seed,
    });
    const g0 = Date.now();
    const target = { provider, url: server.databaseUrl, sourceDir: ctx.source.dir, db: fx.db } as const;
    const big = await generateHistory(target, spec("big", BIG, 1));
    const small = await generateHistory(target, spec("small", SMALL, 2));
    ctx.log(`${label}: generated ${BIG + SMALL} runs in ${((Date.now() - g0) / 1000).toFixed(1)} s`);

    const deepCursor = (ids: string[]) => ids[Math.floor(ids.length * (1 - DEPTH))] ?? "";
    const base = (env: string) => `/api/v1/projects/${fx.project}/environments/${env}/runs?limit=50`;
    const n = ctx.quick ? 30 : 100;
    const warmup = ctx.quick ? 5 : 20;
    // Every shape once per round, rounds repeated: whatever else the machine does meanwhile (and
    // any drift of the server) spreads over all shapes alike.
    type Key = "bigFirst" | "bigDeep" | "smallFirst" | "smallDeep";
    const shapes = FILTERS.map((filter) => {
      const q = filter.query ? `&${filter.query}` : "";
      const paths: Record<Key, string> = {
        bigFirst: `${base("big")}${q}`,
        bigDeep: `${base("big")}${q}&cursor=${deepCursor(big.ids)}`,
        smallFirst: `${base("small")}${q}`,
        smallDeep: `${base("small")}${q}&cursor=${deepCursor(small.ids)}`,
      };
      const samples: Record<Key, number[]> = { bigFirst: [], bigDeep: [], smallFirst: [], smallDeep: [] };
      return { filter, paths, samples };
    });
    const roundMedians: number[] = [];
    for (let i = 0; i < warmup + n; i++) {
      const round: number[] = [];
      for (const shape of shapes) {
        for (const key of Object.keys(shape.paths) as Key[]) {
          const t = await timed(api, shape.paths[key]);
          round.push(t);
          if (i >= warmup) shape.samples[key].push(t);
        }
      }
      if (i >= warmup) roundMedians.push(summarize(round).median);
    }
    const tenth = Math.max(1, Math.floor(n / 10));
    const drift = {
      firstRounds: summarize(roundMedians.slice(0, tenth)).median,
      lastRounds: summarize(roundMedians.slice(-tenth)).median,
    };
    ctx.log(
      `${label}: median request over the first tenth of the rounds ${ms(drift.firstRounds)}, ` +
        `over the last tenth ${ms(drift.lastRounds)}`,
    );
    const results: ShapeResult[] = shapes.map(({ filter, samples }) => {
      const r: ShapeResult = {
        filter: filter.name,
        big: { first: summarize(samples.bigFirst), deep: summarize(samples.bigDeep) },
        small: { first: summarize(samples.smallFirst), deep: summarize(samples.smallDeep) },
      };
      ctx.log(
        `${label} ${filter.name}: 1M first ${ms(r.big.first.median)} (p99 ${ms(r.big.first.p99)}), deep ${ms(
          r.big.deep.median,
        )} (p99 ${ms(r.big.deep.p99)}); 1K first ${ms(r.small.first.median)}, deep ${ms(r.small.deep.median)}`,
      );
      return r;
    });
    const rows: Row[] = results.map((r) => {
      const fast = r.big.first.median <= 20 && r.big.deep.median <= 20;
      const flat = r.big.deep.median <= 1.5 * r.big.first.median + 2;
      return {
        id: "P5",
        measure: `${label}, ${r.filter}: p50 first / deep page (n=${n})`,
        runops: `${ms(r.big.first.median)} / ${ms(r.big.deep.median)}`,
        baseline: `${ms(r.small.first.median)} / ${ms(r.small.deep.median)}`,
        goal: `${ratio(Math.max(r.big.first.median, r.big.deep.median), Math.max(r.small.first.median, r.small.deep.median))} · goal ≤ 20 ms, flat${flat ? "" : " (not flat)"}`,
        verdict: verdict(fast && flat),
      };
    });
    return { rows, data: { provider, n, warmup, depth: DEPTH, results, drift } };
  } finally {
    api.close();
    await fx.close();
    await server.stop();
  }
}

export const p5: Benchmark = {
  id: "p5",
  title: "run history at 1,000,000 runs, first and deep page, with filters, SQLite and PostgreSQL",
  async run(ctx: BenchContext) {
    const sqlite = await measureDatabase(ctx, "SQLite", undefined);
    ctx.log("starting PostgreSQL (installs Debian's postgresql when missing)");
    const pg = await startPostgres();
    const stopPg = onCleanup("PostgreSQL", () => pg.stop());
    try {
      const postgres = await measureDatabase(ctx, "PostgreSQL", pg.url);
      return {
        rows: [...sqlite.rows, ...postgres.rows],
        data: { sqlite: sqlite.data, postgresql: postgres.data },
      };
    } finally {
      await stopPg();
    }
  },
};

runStandalone(p5, import.meta.url);
