// `runops worker` as a separate OS process, and the console's side of what a
// worker process needs from it (the run event hub on SQLite, the reaper of
// lost runs), played by the test process.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import type { Db } from "../../lib/db/client";
import { MemoryChannel } from "../../lib/events/memory-channel";
import { openChannel } from "../../lib/events/open-channel";
import { installRunEvents, runEvents } from "../../lib/events/process-channel";
import type { RunEventChannel } from "../../lib/events/run-events";
import { failLostRuns } from "../../lib/runs/fail-lost-runs";

const ROOT = path.resolve(import.meta.dirname, "../..");

/** The heartbeat the worker-process tests use: a lost worker's runs end within 3 of them. */
export const TEST_HEARTBEAT_MS = 300;

/** One line the worker logged (pino JSON on stdout). */
export type WorkerLogLine = { level: number; msg: string; [field: string]: unknown };

export type WorkerProcess = {
  pid: number;
  kill(signal?: NodeJS.Signals): void;
  /** Resolves when the process exited and all it logged was read (never rejects). */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Everything it logged so far, in order. */
  logs(): WorkerLogLine[];
  /** What it wrote to stderr so far (a refused start says why there). */
  stderr(): string;
  /** Resolves with the first log line whose message matches; fails early if the worker exits. */
  waitForLog(msg: string | RegExp, ms?: number): Promise<WorkerLogLine>;
};

const spawned = new Set<WorkerProcess>();

/**
 * Starts `runops worker` (scripts/worker.ts under tsx) with a minimal
 * environment: nothing of the test process's own leaks in. `env` adds to or
 * overrides the defaults (short heartbeat and grace, the worker's name).
 */
export function spawnWorker(opts: {
  url: string;
  socketPath: string;
  env?: Record<string, string>;
  args?: string[];
}): WorkerProcess {
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? "/usr/local/bin:/usr/bin:/bin",
    HOME: process.env.HOME ?? "/root",
    LANG: "C.UTF-8",
    DATABASE_URL: opts.url,
    RUNOPS_EVENTS_SOCKET: opts.socketPath,
    RUNOPS_HEARTBEAT_MS: String(TEST_HEARTBEAT_MS),
    RUNOPS_CANCEL_GRACE_MS: "300",
    RUNOPS_WORKER_DRAIN_MS: "5000",
    RUNOPS_LOG_FLUSH_MS: "20",
    RUNOPS_DEFAULT_TIMEOUT_SEC: "60",
    RUNOPS_LOG_LEVEL: "info",
    RUNOPS_WORKER_NAME: "test-worker-process",
    ...opts.env,
  };
  // --exit-with-parent: should the test process die without running its afterAll, the stdin
  // pipe closes and the worker drains and exits instead of running on.
  const args = ["--import", "tsx", "scripts/worker.ts", "--exit-with-parent", ...(opts.args ?? [])];
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: env as NodeJS.ProcessEnv,
    stdio: ["pipe", "pipe", "pipe"],
  });
  const lines: WorkerLogLine[] = [];
  let stderr = "";
  const waiters = new Set<() => void>();
  const changed = () => {
    for (const w of [...waiters]) w();
  };
  createInterface({ input: child.stdout }).on("line", (line) => {
    try {
      const parsed = JSON.parse(line) as WorkerLogLine;
      lines.push(parsed);
    } catch {
      lines.push({ level: 30, msg: line });
    }
    changed();
  });
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString("utf8")));
  let done = false;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once("close", (code, signal) => {
      done = true;
      resolve({ code, signal });
      changed();
    });
  });
  const describeOutput = () =>
    `worker ${child.pid} logged:\n${lines.map((l) => JSON.stringify(l)).join("\n")}\nstderr:\n${stderr}`;

  const worker: WorkerProcess = {
    pid: child.pid ?? -1,
    kill: (signal = "SIGTERM") => {
      if (!done) child.kill(signal);
    },
    exited,
    logs: () => [...lines],
    stderr: () => stderr,
    waitForLog: (msg, ms = 15000) =>
      new Promise<WorkerLogLine>((resolve, reject) => {
        const matches = (l: WorkerLogLine) =>
          typeof msg === "string" ? l.msg === msg : msg.test(String(l.msg));
        const check = () => {
          const found = lines.find(matches);
          if (found) finish(() => resolve(found));
          else if (done)
            finish(() => reject(new Error(`worker exited before logging ${msg}\n${describeOutput()}`)));
        };
        const timer = setTimeout(
          () =>
            finish(() =>
              reject(new Error(`timed out waiting for the worker to log ${msg}\n${describeOutput()}`)),
            ),
          ms,
        );
        const finish = (then: () => void) => {
          clearTimeout(timer);
          waiters.delete(check);
          then();
        };
        waiters.add(check);
        check();
      }),
  };
  spawned.add(worker);
  void exited.then(() => spawned.delete(worker));
  return worker;
}

/** Spawns a worker and resolves once it logged "worker started" (it claims runs from then on). */
export async function startWorkerProcess(opts: Parameters<typeof spawnWorker>[0]): Promise<WorkerProcess> {
  const worker = spawnWorker(opts);
  await worker.waitForLog("worker started");
  return worker;
}

/** SIGKILLs (after SIGCONT, should it be stopped) every worker process still running, and waits for them. */
export async function killWorkers(): Promise<void> {
  const all = [...spawned];
  for (const w of all) {
    w.kill("SIGCONT");
    w.kill("SIGKILL");
  }
  await Promise.all(all.map((w) => w.exited));
}

/** A directory for the run event socket, private to one test file. */
export function socketDir() {
  const dir = mkdtempSync(path.join(tmpdir(), "runops-sock-"));
  return {
    socketPath: path.join(dir, "run-events.sock"),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/**
 * What the console does for workers, in the test process: the run event
 * channel (it serves the hub on SQLite, LISTEN/NOTIFY on PostgreSQL),
 * installed as this process's channel so that startRun and cancelRun reach
 * the workers; and, every half heartbeat, the reaper that ends the runs of
 * workers whose lease expired (lib/console/start-console.ts).
 */
export async function startTestConsole(opts: {
  db: Db;
  url: string;
  socketPath: string;
  heartbeatMs?: number;
}) {
  let channel: RunEventChannel | null = null;
  const up = async () => {
    channel = await openChannel("console", { databaseUrl: opts.url, socketPath: opts.socketPath });
    installRunEvents(channel);
    return channel;
  };
  const down = async () => {
    const closing = channel;
    channel = null;
    await closing?.close();
  };
  await up();
  /** Runs the reaper ended, in order. */
  const reaped: string[] = [];
  let reaping: Promise<void> | null = null;
  const timer = setInterval(
    () => {
      reaping ??= failLostRuns(opts.db, runEvents())
        .then((ids) => void reaped.push(...ids))
        .catch(() => undefined)
        .finally(() => (reaping = null));
    },
    (opts.heartbeatMs ?? TEST_HEARTBEAT_MS) / 2,
  );
  return {
    /** The console's current channel (the hub on SQLite). */
    channel: () => {
      if (!channel) throw new Error("the console's channel is closed");
      return channel;
    },
    reaped,
    /** The console goes away (its hub with it), as in a restart. */
    down,
    /** ... and comes back on the same socket path. */
    up,
    async close() {
      clearInterval(timer);
      await reaping;
      await down();
      installRunEvents(new MemoryChannel());
    },
  };
}

export type TestConsole = Awaited<ReturnType<typeof startTestConsole>>;
