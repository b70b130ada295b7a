/** The machine a run happened on, and the results file bench/results/<timestamp>.json. */
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { REPO_ROOT } from "./source";
import type { Row } from "./types";

export interface Machine {
  nproc: number;
  cpu: string;
  memTotal: string;
  free: string;
  node: string;
  os: string;
  loadAverage: number[];
}

export function machine(): Machine {
  const cpu =
    /^model name\s*:\s*(.+)$/m.exec(readFileSync("/proc/cpuinfo", "utf8"))?.[1] ?? os.cpus()[0]?.model ?? "?";
  let free = "";
  try {
    free = execFileSync("free", ["-h"], { encoding: "utf8" }).trim();
  } catch {
    free = "(free not available)";
  }
  let nproc = os.availableParallelism();
  try {
    nproc = Number(execFileSync("nproc", { encoding: "utf8" }).trim());
  } catch {
    // keep Node's count
  }
  return {
    nproc,
    cpu,
    memTotal: `${(os.totalmem() / 2 ** 30).toFixed(1)} GiB`,
    free,
    node: process.version,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    loadAverage: os.loadavg().map((l) => Math.round(l * 100) / 100),
  };
}

export interface BenchRecord {
  id: string;
  title: string;
  seconds: number;
  /** 1-minute load average before and after: other work on the machine skews the numbers. */
  load: [number, number];
  rows: Row[];
  data?: Record<string, unknown>;
  error?: string;
}

export interface ResultsFile {
  startedAt: string;
  finishedAt: string;
  source: { description: string; commit: string; dirty: boolean };
  argv: string[];
  quick: boolean;
  machine: Machine;
  benchmarks: BenchRecord[];
}

/** Writes the results; returns the file's path relative to the repository. */
export function writeResults(results: ResultsFile): string {
  const dir = path.join(REPO_ROOT, "bench", "results");
  mkdirSync(dir, { recursive: true });
  const stamp = results.startedAt.replace(/\.\d+Z$/, "Z").replaceAll(":", "-");
  const file = path.join(dir, `${stamp}.json`);
  writeFileSync(
    file,
    `${JSON.stringify(results, (_, v: unknown) => (typeof v === "bigint" ? Number(v) : v), 2)}\n`,
  );
  return path.relative(REPO_ROOT, file);
}
