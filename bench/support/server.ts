/**
 * A real runops server for one benchmark: `scripts/start.ts` (migrate, seed the demo, build when
 * the sources changed, then the console — `next start` — and, since the worker split, a
 * `runops worker` process that runs the commands) in the prepared copy, on a free loopback port,
 * with a fresh SQLite file (or the PostgreSQL URL given) and a private data directory (the run
 * event socket). Both shapes are handled: a commit without scripts/worker.ts is one process (the
 * console runs the commands), and `workerPid` is null. Stopped, with every process it started
 * (console, worker, the commands of runs still going), on stop() or when the benchmark process
 * exits.
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import {
  closeSync,
  existsSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  rmdirSync,
  writeFileSync,
} from "node:fs";
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
  /** Writes V8 CPU profiles of the console and the worker into this directory when they stop. */
  cpuProfileDir?: string;
}

export type ProcessRole = "console" | "worker";

export interface RunningServer {
  url: string;
  databaseUrl: string;
  /** The benchmark's private temp dir (also holds the target and server.log). */
  tmpDir: string;
  /** The console: the `next-server` process that serves requests (in one-process commits it also runs the commands). */
  consolePid: number;
  /**
   * The `runops worker` process (runs the commands, stores their output), as it was when the
   * server became ready; null when the measured code has no worker process.
   */
  workerPid: number | null;
  /** The worker's pid now (scripts/start.ts restarts a worker that crashed), or null. */
  currentWorkerPid(): number | null;
  /** The run event socket (SQLite, two processes), or null. */
  eventsSocket: string | null;
  logFile: string;
  /** A process's memoryUsage() samples (every 100 ms, by the preload) between two Date.now() times. */
  memory(from: number, to: number, role?: ProcessRole): MemorySample[];
  stop(): Promise<void>;
}

export interface MemorySample {
  t: number;
  pid?: number;
  rss: number;
  heapTotal: number;
  heapUsed: number;
  external: number;
  arrayBuffers: number;
  /** Event loop utilization over the sample's 100 ms (0–1); absent in results made before it was logged. */
  elu?: number;
  /** Event loop delay over the sample's 100 ms, ms (max and p99, at 10 ms resolution). */
  lagMax?: number;
  lagP99?: number;
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
  // The data directory (run event socket; the session secret is given above) is the benchmark's
  // own, not the copy's ./data, so no two servers ever meet on one socket.
  env.RUNOPS_DATA_DIR = tmpDir;
  // On stop (SIGTERM) the worker cancels what still runs at once instead of letting it run 30 s:
  // the benchmarks wait for their runs, so this matters only after a failure or Ctrl-C.
  env.RUNOPS_WORKER_DRAIN_MS ??= "0";
  // BENCH_SERVER_ENV="RUNOPS_CONTAINMENT=process-group …": settings for a diagnosis (the servers
  // otherwise get runops' defaults: RUNOPS_* of the benchmark's own environment are not passed on).
  for (const pair of (process.env.BENCH_SERVER_ENV ?? "").split(/\s+/).filter(Boolean)) {
    const eq = pair.indexOf("=");
    if (eq > 0) env[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  const eventsSocket = path.join(tmpDir, "run-events.sock");
  // A preloaded module logs the console's and the worker's memory (and profiles them when asked):
  // see server-preload.mjs.
  const memoryLogs: Record<ProcessRole, string> = {
    console: path.join(tmpDir, "memory.jsonl"),
    worker: path.join(tmpDir, "memory-worker.jsonl"),
  };
  const preload = path.join(path.dirname(fileURLToPath(import.meta.url)), "server-preload.mjs");
  env.NODE_OPTIONS = `--import=${preload}`;
  env.BENCH_MEMORY_LOG = memoryLogs.console;
  env.BENCH_WORKER_MEMORY_LOG = memoryLogs.worker;
  if (options.cpuProfileDir) env.BENCH_CPU_PROFILE_DIR = options.cpuProfileDir;
  // BENCH_SERVER_V8_FLAGS passes V8 flags for a diagnosis (e.g. --trace-gc) to the console and the worker.
  if (process.env.BENCH_SERVER_V8_FLAGS) env.BENCH_V8_FLAGS = process.env.BENCH_SERVER_V8_FLAGS;
  // A commit from before the worker split has no scripts/worker.ts: one process, no worker to wait for.
  const expectWorker = existsSync(path.join(options.source.dir, "scripts", "worker.ts"));

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
  // Stops the launcher's process group (scripts/start.ts, the console) and the worker (the worker
  // cancels the runs it still has, whose commands are in sessions of their own), waits for every
  // process seen under the launcher (commands included) to be gone, and kills what is left,
  // including the run cgroups those processes were in (the worker's containment).
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    for (const pid of descendants(launcherPid)) known.add(pid);
    const cgroups = runCgroupsOf([...known]);
    signal(-launcherPid, "SIGTERM");
    // The worker may be in a process group of its own (scripts/start.ts since 2797094): signal it
    // too, in case the launcher is gone before it could pass the signal on.
    for (const pid of known) if (isWorkerCommand(commandLine(pid))) signal(pid, "SIGTERM");
    const all = () => [launcherPid, ...known].filter(isAlive);
    try {
      await waitFor("the server to stop", () => all().length === 0, { timeoutMs: 15_000, everyMs: 50 });
    } catch {
      signal(-launcherPid, "SIGKILL");
      for (const pid of all()) signal(pid, "SIGKILL");
    }
    for (const dir of cgroups) killCgroup(dir);
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
  // `next start`'s next-server, or (since the console has its own HTTP server) scripts/console.ts.
  const consolePid = [...known].find((pid) => /^next-server\b|scripts\/console\.ts\b/.test(commandLine(pid)));
  const tree = () =>
    descendants(launcherPid)
      .map((pid) => `${pid} ${commandLine(pid)}`)
      .join("\n");
  if (consolePid === undefined) {
    const processes = tree();
    await undoServer();
    throw new Error(`no next-server process under the launcher ${launcherPid}:\n${processes}`);
  }
  const findWorker = () => descendants(launcherPid).find((pid) => isWorkerCommand(commandLine(pid))) ?? null;
  let workerPid: number | null = null;
  if (expectWorker) {
    // Ready = the worker runs and is connected to the console's run event hub (SQLite), so the
    // first measured run is not left to the worker's 5 s safety poll.
    try {
      workerPid = await waitFor(
        `the worker process under ${launcherPid} (log: ${logFile})`,
        () => {
          if (exited) throw new Error(`the server ${exited} before its worker was ready:\n${tail(logFile)}`);
          const pid = findWorker();
          if (pid === null) return undefined;
          if (!databaseUrl.startsWith("file:"))
            return /worker started/.test(readFileSync(logFile, "utf8")) && pid;
          return connectedPeers(eventsSocket) > 0 && pid;
        },
        { timeoutMs: 60_000, everyMs: 100 },
      );
    } catch (error) {
      const processes = tree();
      await undoServer();
      throw new Error(`${(error as Error).message}\nprocesses:\n${processes}`);
    }
  }
  let lastWorker = workerPid;
  if (process.env.BENCH_VERBOSE === "1") {
    console.error(
      `bench: ${options.name} server ready at ${url} in ${Date.now() - started} ms ` +
        `(console pid ${consolePid}, worker ${workerPid === null ? "none (one process)" : `pid ${workerPid}`})`,
    );
  }
  return {
    url,
    databaseUrl,
    tmpDir,
    consolePid,
    workerPid,
    currentWorkerPid() {
      if (workerPid === null) return null;
      if (lastWorker !== null && isAlive(lastWorker)) return lastWorker;
      lastWorker = findWorker();
      return lastWorker;
    },
    eventsSocket: expectWorker && databaseUrl.startsWith("file:") ? eventsSocket : null,
    logFile,
    memory(from, to, role = "console") {
      let text = "";
      try {
        text = readFileSync(memoryLogs[role], "utf8");
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

/** `node --import tsx scripts/worker.ts` (what scripts/start.ts starts), or `runops worker`. */
function isWorkerCommand(cmd: string): boolean {
  if (/(^|\s)\S*tsx[\\/]dist[\\/]cli|node_modules[\\/]\.bin[\\/]tsx/.test(cmd)) return false; // a tsx CLI in between
  return /(^|[\s/])scripts\/worker\.ts(\s|$)/.test(cmd) || /runops(\.mjs)?\s+worker(\s|$)/.test(cmd);
}

/**
 * Connections the console's hub has accepted on `socketPath` (Linux: accepted Unix sockets carry
 * the listener's path in /proc/net/unix, state 03 = connected).
 */
function connectedPeers(socketPath: string): number {
  try {
    return readFileSync("/proc/net/unix", "utf8")
      .split("\n")
      .filter((line) => {
        const f = line.trim().split(/\s+/);
        return f[7] === socketPath && f[5] === "03";
      }).length;
  } catch {
    return 0;
  }
}

/** The per-run cgroups (the worker's containment: `…/runops-runs/run-<id>`) the given processes are in. */
function runCgroupsOf(pids: number[]): string[] {
  let mount: string | null = null;
  try {
    mount =
      readFileSync("/proc/self/mounts", "utf8")
        .split("\n")
        .map((l) => l.split(" "))
        .find((f) => f[2] === "cgroup2")?.[1] ?? null;
  } catch {
    return [];
  }
  if (!mount) return [];
  const dirs = new Set<string>();
  for (const pid of pids) {
    try {
      const own = readFileSync(`/proc/${pid}/cgroup`, "utf8")
        .split("\n")
        .find((l) => l.startsWith("0::"))
        ?.slice(3);
      if (own && /\/run-[^/]+$/.test(own)) dirs.add(path.join(mount, own));
    } catch {
      // gone
    }
  }
  return [...dirs];
}

/** Ends every process still in a run cgroup the benchmark's processes were in, and removes it. */
function killCgroup(dir: string) {
  try {
    if (!existsSync(dir)) return;
    writeFileSync(path.join(dir, "cgroup.kill"), "1");
    for (let i = 0; i < 20; i++) {
      try {
        rmdirSync(dir);
        return;
      } catch {
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 50); // still emptying
      }
    }
  } catch {
    // not ours to remove after all, or gone
  }
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
