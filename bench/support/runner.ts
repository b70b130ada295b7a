/**
 * Runs benchmarks one after the other (each starts and stops its own servers), prints one table
 * and writes bench/results/<timestamp>.json. Used by bench/run.ts and by each bench/p*.ts when
 * it is run on its own.
 */
import { mkdirSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { cleanupAll, cleanupMark, cleanupTo } from "./cleanup";
import { type BenchRecord, machine, writeResults } from "./results";
import { REPO_ROOT, parseSourceSpec, prepareSource } from "./source";
import { markdownTable, textTable } from "./table";
import type { Benchmark, Row } from "./types";

export interface RunOptions {
  source?: string;
  quick: boolean;
  cpuProf: boolean;
  markdown: boolean;
}

const USAGE = `usage: npm run bench -- [p1 p2 …] [--source=worktree|HEAD|<commit>] [--quick] [--cpu-prof] [--markdown]

  p1 … p10, p2-pg  the benchmarks to run (default: all)
  --source=…       what to measure: the working tree as it is (default), or a git revision
  --quick          fewer repetitions (to try the suite; not for docs/benchmarks.md)
  --cpu-prof       servers write V8 CPU profiles to bench/results/profiles/<time>/
  --markdown       also print the table as Markdown
  BENCH_KEEP=1     keep the temp dirs (databases, server logs); BENCH_VERBOSE=1 more progress
  BENCH_SERVER_V8_FLAGS="--trace-gc"   V8 flags for the console and the worker (diagnosis; output in server.log)
  BENCH_SERVER_ENV="K=V …"             settings for the servers (diagnosis, e.g. RUNOPS_CONTAINMENT=process-group)`;

export function parseArgs(argv: string[], known: string[]): { names: string[]; options: RunOptions } {
  const names: string[] = [];
  const options: RunOptions = { quick: false, cpuProf: false, markdown: false };
  for (const arg of argv) {
    if (arg === "--help" || arg === "-h") {
      console.log(USAGE);
      process.exit(0);
    } else if (arg.startsWith("--source=")) options.source = arg.slice("--source=".length);
    else if (arg === "--quick") options.quick = true;
    else if (arg === "--cpu-prof") options.cpuProf = true;
    else if (arg === "--markdown") options.markdown = true;
    else if (known.includes(arg.toLowerCase())) names.push(arg.toLowerCase());
    else {
      console.error(`bench: unknown argument ${JSON.stringify(arg)}\n\n${USAGE}`);
      process.exit(2);
    }
  }
  return { names, options };
}

export async function runBenchmarks(benchmarks: Benchmark[], options: RunOptions): Promise<number> {
  const startedAt = new Date().toISOString();
  const source = prepareSource(parseSourceSpec(options.source));
  console.error(`bench: measuring ${source.description}, copy in ${source.dir}`);
  const cpuProfileRoot = options.cpuProf
    ? path.join(REPO_ROOT, "bench", "results", "profiles", startedAt.replaceAll(":", "-"))
    : undefined;
  const records: BenchRecord[] = [];
  for (const bench of benchmarks) {
    const began = Date.now();
    const mark = cleanupMark(); // the source copy's lock (registered before) stays until the end
    const loadBefore = Math.round((os.loadavg()[0] ?? 0) * 100) / 100;
    const load = (): [number, number] => [loadBefore, Math.round((os.loadavg()[0] ?? 0) * 100) / 100];
    const log = (message: string) => console.error(`[${bench.id}] ${message}`);
    log(`${bench.title}…`);
    let cpuProfileDir: string | undefined;
    if (cpuProfileRoot) {
      cpuProfileDir = path.join(cpuProfileRoot, bench.id);
      mkdirSync(cpuProfileDir, { recursive: true });
    }
    try {
      const out = await bench.run({ source, log, quick: options.quick, cpuProfileDir });
      records.push({
        id: bench.id,
        title: bench.title,
        seconds: (Date.now() - began) / 1000,
        load: load(),
        ...out,
      });
    } catch (error) {
      const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
      log(`failed: ${message}`);
      records.push({
        id: bench.id,
        title: bench.title,
        seconds: (Date.now() - began) / 1000,
        load: load(),
        error: message,
        rows: [
          {
            id: bench.id.toUpperCase(),
            measure: bench.title,
            runops: "error",
            baseline: "",
            goal:
              (error instanceof Error ? error.message : String(error)).split("\n")[0]?.slice(0, 120) ?? "",
            verdict: "error",
          },
        ],
      });
    } finally {
      await cleanupTo(mark);
    }
    log(`done in ${((Date.now() - began) / 1000).toFixed(0)} s (load average ${load().join(" → ")})`);
  }
  const rows: Row[] = records.flatMap((r) => r.rows);
  console.log(`\n${textTable(rows)}\n`);
  if (options.markdown) console.log(`${markdownTable(rows)}\n`);
  const file = writeResults({
    startedAt,
    finishedAt: new Date().toISOString(),
    source: { description: source.description, commit: source.gitCommit, dirty: source.dirty },
    argv: process.argv.slice(2),
    quick: options.quick,
    machine: machine(),
    benchmarks: records,
  });
  await cleanupAll(); // the source copy's lock
  console.log(
    `results: ${file}${cpuProfileRoot ? `\nCPU profiles: ${path.relative(REPO_ROOT, cpuProfileRoot)}` : ""}`,
  );
  return records.some((r) => r.error) ? 1 : 0;
}

/** `npx tsx bench/p1-first-byte.ts [--source=…] [--quick]`: one benchmark on its own. */
export function runStandalone(bench: Benchmark, moduleUrl: string): void {
  if (process.argv[1] === undefined || path.resolve(process.argv[1]) !== fileURLToPath(moduleUrl)) return;
  const { options } = parseArgs(process.argv.slice(2), []);
  runBenchmarks([bench], options).then(
    (code) => process.exit(code),
    async (error: unknown) => {
      console.error(error);
      await cleanupAll();
      process.exit(1);
    },
  );
}
