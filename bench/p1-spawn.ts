/**
 * `npx tsx bench/p1-spawn.ts [--source=worktree|HEAD|<commit>] [--n=200] [--ballast-mb=200]`: where
 * P1's "claimed → first output" goes in the worker. Calls the measured copy's own executor
 * (`startLocal` of lib/executor/local-executor.ts, as the worker does) in this process for `echo hi`,
 * with each containment the copy has (a cgroup v2 per run, where this host allows it; the process
 * group), and times each step: the cgroup's mkdir (`forRun`), `spawn()` (synchronous: fork of this
 * process), the shell's `spawn` event, `adopt` (the write to cgroup.procs, i.e. the kernel's
 * cgroup migration), the first stdout byte, the run's end (leftover check, `release`: rmdir). The
 * same `echo hi` spawned bare (`/bin/sh -c`, own process group) is the baseline. `--ballast-mb`
 * makes this process about as large as a worker (its RSS is what a fork copies page tables of).
 * A diagnosis aid for docs/benchmarks.md (P1), not part of the suite; run it on a quiet machine.
 */
import { mkdtempSync, rmSync, rmdirSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { Containment, RunContainment } from "../lib/executor/containment";
import type { ExecSpec, OutputSink } from "../lib/executor/types";
import { bareSpawn } from "./support/baseline";
import { cleanupAll, onCleanup } from "./support/cleanup";
import { rssBytes } from "./support/proc";
import { parseSourceSpec, prepareSource } from "./support/source";
import { mb, ms, summarize } from "./support/stats";

type Steps = Record<string, number>;

const arg = (name: string) =>
  process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? undefined;

async function main() {
  const source = prepareSource(parseSourceSpec(arg("source")));
  const load = <T>(rel: string) => import(pathToFileURL(path.join(source.dir, rel)).href) as Promise<T>;
  const n = Number(arg("n") ?? 200);
  const ballastMb = Number(arg("ballast-mb") ?? 200);
  // Touched memory, so that it is resident (a fork copies the page tables of all of it).
  const ballast = Buffer.alloc(ballastMb * 1e6, 1);
  const { startLocal } = await load<typeof import("../lib/executor/local-executor")>(
    "lib/executor/local-executor.ts",
  );
  const { CgroupContainment, findCgroupRoot } = await load<
    typeof import("../lib/executor/cgroup-containment")
  >("lib/executor/cgroup-containment.ts");
  const { GroupContainment } = await load<typeof import("../lib/executor/group-containment")>(
    "lib/executor/group-containment.ts",
  );
  const cwd = mkdtempSync(path.join(tmpdir(), "runops-bench-spawn-"));
  onCleanup(`temp dir ${cwd}`, () => rmSync(cwd, { recursive: true, force: true }));
  console.error(
    `bench: ${source.description}; this process ${mb(rssBytes(process.pid) ?? NaN)} RSS ` +
      `(ballast ${ballastMb} MB); ${n} runs of each`,
  );

  const containments: Array<{ name: string; c: Containment }> = [];
  // A cgroup root of our own, beside the worker's (never the worker's runops-runs).
  const own = findCgroupRoot(undefined);
  if (own) {
    const root = path.join(path.dirname(own), `runops-bench-spawn-${process.pid}`);
    const c = findCgroupRoot(root) ? new CgroupContainment(root) : null;
    if (c) {
      onCleanup(`cgroup ${root}`, () => {
        try {
          rmdirSync(root);
        } catch {
          // still populated or gone
        }
      });
      containments.push({ name: "cgroup", c });
    }
  }
  containments.push({ name: "process-group", c: new GroupContainment() });

  const env = { PATH: process.env.PATH ?? "/usr/bin:/bin", RUNOPS_RUN_ID: "bench" };
  async function once(containment: Containment, i: number): Promise<Steps> {
    const steps: Steps = {};
    const t0 = performance.now();
    const inner = containment.forRun(`bench-${process.pid}-${i}`);
    steps.forRun = performance.now() - t0;
    let adoptAt = 0;
    const run: RunContainment = {
      ...inner,
      adopt: (pid) => {
        const a = performance.now();
        inner.adopt(pid);
        adoptAt = performance.now();
        steps.adopt = adoptAt - a;
        steps.toAdopt = a - t0;
      },
      release: () => {
        const r = performance.now();
        inner.release();
        steps.release = performance.now() - r;
      },
    };
    let first = 0;
    const sink: OutputSink = {
      write: () => {
        first ||= performance.now();
        return true;
      },
      onDrain: (cb) => cb(),
      system: () => undefined,
    };
    const spec: ExecSpec = {
      command: "echo hi",
      stopCommand: null,
      cwd,
      target: cwd,
      env,
      timeoutMs: 60_000,
      graceMs: 1000,
      stopTimeoutMs: 1000,
      runAs: null,
      containment: run,
    };
    const handle = startLocal(spec, sink);
    steps.startLocalSync = performance.now() - t0;
    const outcome = await handle.done;
    if (outcome.ended !== "exited" || outcome.exitCode !== 0)
      throw new Error(`echo hi: ${JSON.stringify(outcome)}`);
    steps.firstByte = first - t0;
    steps.adoptToFirstByte = first - adoptAt;
    steps.done = performance.now() - t0;
    return steps;
  }

  const results: Record<string, Record<string, ReturnType<typeof summarize>>> = {};
  const bare: number[] = [];
  const samples: Record<string, Steps[]> = Object.fromEntries(containments.map((c) => [c.name, []]));
  for (let i = 0; i < 10; i++) for (const { c } of containments) await once(c, -i - 1); // warm-up
  for (let i = 0; i < n; i++) {
    // Alternating, so that other work on the machine weighs on each alike.
    for (const { name, c } of containments) samples[name]?.push(await once(c, i));
    const b = await bareSpawn("echo hi", cwd);
    bare.push((b.firstByteAt ?? NaN) - b.startedAt);
  }
  const b = summarize(bare);
  console.log(`bare spawn → first byte: p50 ${ms(b.median)}, p99 ${ms(b.p99)}`);
  for (const { name } of containments) {
    const list = samples[name] ?? [];
    const keys = Object.keys(list[0] ?? {});
    results[name] = Object.fromEntries(keys.map((k) => [k, summarize(list.map((s) => s[k] ?? NaN))]));
    console.log(
      `${name}: ` + keys.map((k) => `${k} p50 ${ms(results[name]?.[k]?.median ?? NaN)}`).join(", "),
    );
  }
  void ballast.length;
  console.log(JSON.stringify({ source: source.description, ballastMb, n, bare: b, results }));
}

main()
  .catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(() => cleanupAll());
