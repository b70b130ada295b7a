/**
 * A real runops server for one benchmark: `scripts/start.ts` (migrate, seed the demo, build when
 * the sources changed, `next start`) in the prepared copy, on a free loopback port, with a fresh
 * SQLite file (or the PostgreSQL URL given). Stopped, with every process it started, on stop()
 * or when the benchmark process exits.
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { onCleanup } from "./cleanup";
import { commandLine, descendants, freePort, isAlive, signal, waitFor } from "./proc";
import type { PreparedSource } from "./source";

export interface ServerOptions {
  source: PreparedSource;
  /** Names the temp dir and messages, e.g. "p1". */
  name: string;
  /** Defaults to file:<temp dir>/bench.db. */
  databaseUrl?: string;
  /** Extra environment (RUNOPS_LOG_CAP_BYTES, …). */
  env?: Record<string, string>;
  /** Writes a V8 CPU profile of the next-server process into this directory when it stops. */
  cpuProfileDir?: string;
}

export interface RunningServer {
  url: string;
  databaseUrl: string;
  /** The benchmark's private temp dir (also holds the target and server.log). */
  tmpDir: string;
  /** The `next-server` process that serves requests and runs the embedded worker. */
  serverPid: number;
  logFile: string;
  /** The next-server's process.memoryUsage() samples (every 100 ms) between two Date.now() times. */
  memory(from: number, to: number): MemorySample[];
  stop(): Promise<void>;
}

export interface MemorySample {
  t: number;
  rss: number;
  heapTotal: number;
  heapUsed: number;
  external: number;
  arrayBuffers: number;
}

const START_TIMEOUT_MS = 15 * 60_000; // includes a first build on 2 cores

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const tmpDir = mkdtempSync(path.join(tmpdir(), `runops-bench-${options.name}-`));
  const removeTmp = onCleanup(`temp dir ${tmpDir}`, () => {
    if (process.env.BENCH_KEEP !== "1") rmSync(tmpDir, { recursive: true, force: true });
  });
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const databaseUrl = options.databaseUrl ?? `file:${path.join(tmpDir, "bench.db")}`;
  const logFile = path.join(tmpDir, "server.log");
  const log = openSync(logFile, "a");

  const env: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(process.env)) {
    // The server reads its settings from its own environment only: start from the defaults.
    if (/^(RUNOPS_|NEXTAUTH_|DATABASE_URL$|PORT$|HOST$|NODE_OPTIONS$|NODE_ENV$)/.test(k)) continue;
    env[k] = v;
  }
  Object.assign(env, {
    PORT: String(port),
    HOST: "127.0.0.1",
    DATABASE_URL: databaseUrl,
    NEXTAUTH_URL: url,
    NEXTAUTH_SECRET: randomBytes(24).toString("base64url"),
    NEXT_TELEMETRY_DISABLED: "1",
    RUNOPS_SEED_DEMO: "1",
    ...options.env,
  });
  // A preloaded module logs the next-server's memory (and profiles it when asked): see server-preload.mjs.
  const memoryLog = path.join(tmpDir, "memory.jsonl");
  const preload = path.join(path.dirname(fileURLToPath(import.meta.url)), "server-preload.mjs");
  env.NODE_OPTIONS = `--import=${preload}`;
  env.BENCH_MEMORY_LOG = memoryLog;
  if (options.cpuProfileDir) env.BENCH_CPU_PROFILE_DIR = options.cpuProfileDir;
  // BENCH_SERVER_V8_FLAGS passes V8 flags for a diagnosis (e.g. --trace-gc) to the next-server.
  if (process.env.BENCH_SERVER_V8_FLAGS) env.BENCH_V8_FLAGS = process.env.BENCH_SERVER_V8_FLAGS;

  const launcher = spawn(path.join(options.source.dir, "node_modules", ".bin", "tsx"), ["scripts/start.ts"], {
    cwd: options.source.dir,
    env: env as NodeJS.ProcessEnv,
    detached: true, // its own process group: stop() signals all of it
    stdio: ["ignore", log, log],
  });
  closeSync(log);
  const launcherPid = launcher.pid;
  if (launcherPid === undefined) {
    throw new Error(`could not spawn scripts/start.ts in ${options.source.dir} (is the copy still there?)`);
  }
  let exited: string | null = null;
  launcher.once("error", (error) => (exited = `could not start: ${error.message}`));
  launcher.once("exit", (code, sig) => (exited = `exited with ${code ?? sig}`));

  let known = new Set<number>();
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    for (const pid of descendants(launcherPid)) known.add(pid);
    signal(-launcherPid, "SIGTERM");
    const all = () => [launcherPid, ...known].filter(isAlive);
    try {
      await waitFor("the server to stop", () => all().length === 0, { timeoutMs: 15_000, everyMs: 50 });
    } catch {
      signal(-launcherPid, "SIGKILL");
      for (const pid of all()) signal(pid, "SIGKILL");
    }
  };
  const undoServer = onCleanup(`server ${options.name}`, stop);

  let announced = false;
  const started = Date.now();
  try {
    await waitFor(
      `the runops server at ${url} (log: ${logFile})`,
      async () => {
        if (exited) {
          const built = /Failed to (type check|compile)|Build error/.test(readFileSync(logFile, "utf8"));
          const hint = built
            ? `\n(the ${options.source.description} does not build; measure a commit with --source=HEAD)`
            : "";
          throw new Error(`the server ${exited} before it was ready:\n${tail(logFile)}${hint}`);
        }
        if (!announced && /building the console/.test(readFileSync(logFile, "utf8"))) {
          announced = true;
          console.error(`bench: building ${options.source.description} (first start or sources changed)…`);
        }
        return (await status(`${url}/signin`)) === 200;
      },
      { timeoutMs: START_TIMEOUT_MS, everyMs: 250 },
    );
  } catch (error) {
    await undoServer();
    throw error;
  }
  known = new Set(descendants(launcherPid));
  const serverPid = [...known].find((pid) => /^next-server\b/.test(commandLine(pid)));
  if (serverPid === undefined) {
    await undoServer();
    const tree = [...known].map((pid) => `${pid} ${commandLine(pid)}`).join("\n");
    throw new Error(`no next-server process under the launcher ${launcherPid}:\n${tree}`);
  }
  if (process.env.BENCH_VERBOSE === "1") {
    console.error(
      `bench: ${options.name} server ready at ${url} in ${Date.now() - started} ms (pid ${serverPid})`,
    );
  }
  return {
    url,
    databaseUrl,
    tmpDir,
    serverPid,
    logFile,
    memory(from, to) {
      let text = "";
      try {
        text = readFileSync(memoryLog, "utf8");
      } catch {
        return [];
      }
      return text
        .split("\n")
        .filter((l) => l.startsWith("{"))
        .map((l) => JSON.parse(l) as MemorySample)
        .filter((m) => m.t >= from && m.t <= to);
    },
    async stop() {
      await undoServer();
      await removeTmp();
    },
  };
}

/** The last lines of a log file. */
export function tail(file: string, lines = 40): string {
  try {
    return readFileSync(file, "utf8").split("\n").slice(-lines).join("\n");
  } catch {
    return "(no log)";
  }
}

function status(url: string): Promise<number | null> {
  return new Promise((resolve) => {
    const req = request(url, { method: "GET", timeout: 5000 }, (res) => {
      res.resume();
      resolve(res.statusCode ?? null);
    });
    req.on("error", () => resolve(null));
    req.on("timeout", () => {
      req.destroy();
      resolve(null);
    });
    req.end();
  });
}

/** The sample with the highest RSS, split into V8 heap, Buffers and the rest (MB). */
export function memoryAtPeak(samples: MemorySample[]): { summary: string; peak: MemorySample | null } {
  const peak = samples.reduce<MemorySample | null>((a, b) => (a === null || b.rss > a.rss ? b : a), null);
  if (!peak) return { summary: "no memory samples", peak: null };
  const mb = (n: number) => `${Math.round(n / 1e6)} MB`;
  return {
    peak,
    summary:
      `at the RSS peak (${mb(peak.rss)}): V8 heap ${mb(peak.heapUsed)} used of ${mb(peak.heapTotal)}, ` +
      `Buffers/ArrayBuffers ${mb(peak.arrayBuffers)} (external ${mb(peak.external)}), ` +
      `other native ${mb(peak.rss - peak.heapTotal - peak.external)}`,
  };
}
