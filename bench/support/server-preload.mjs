// Preloaded into the benchmark servers' processes (NODE_OPTIONS="--import=…"). It acts only in
// the two processes that matter, and names each by its role:
//  - the console: `next start` (the next-server that serves requests; before the worker split it
//    also ran the commands);
//  - the worker: `node --import tsx scripts/worker.ts` (or `runops worker`), which runs the
//    commands and stores their output; absent in one-process commits.
// The launcher (tsx, scripts/start.ts) and `next build` are left alone. What it does:
//  - BENCH_MEMORY_LOG=<file> (console) / BENCH_WORKER_MEMORY_LOG=<file> (worker): appends
//    process.memoryUsage() (and the pid) every 100 ms as JSON lines, so RSS can be split into V8
//    heap, Buffers (arrayBuffers/external) and the rest at its peak; each line also has the
//    event loop's utilization over those 100 ms (`elu`, 0–1) and its delay (`lagMax`, `lagP99`
//    in ms, from monitorEventLoopDelay at 10 ms resolution), so load benchmarks can tell a busy
//    loop from a waiting one;
//  - BENCH_CPU_PROFILE_DIR=<dir>: a V8 CPU profile, written as next-server-<pid>.cpuprofile or
//    worker-<pid>.cpuprofile when the process exits (Node refuses --cpu-prof in NODE_OPTIONS);
//  - BENCH_V8_FLAGS="--trace-gc …": V8 flags Node also refuses in NODE_OPTIONS.
import { closeSync, openSync, writeFileSync, writeSync } from "node:fs";
import { Session } from "node:inspector";
import path from "node:path";
import { monitorEventLoopDelay, performance } from "node:perf_hooks";
import v8 from "node:v8";

const argv1 = process.argv[1] ?? "";
// `node_modules/.bin/next start` (argv[1] is the path it was started by, often the .bin link).
// Since the console has a server of its own: `node --import tsx scripts/console.ts`.
const isConsole =
  (/[\\/]next$/.test(argv1) && process.argv[2] === "start") || /[\\/]scripts[\\/]console\.ts$/.test(argv1);
// scripts/start.ts starts `node --import tsx scripts/worker.ts` (argv[1] is the resolved path).
const isWorker =
  /[\\/]scripts[\\/]worker\.ts$/.test(argv1) ||
  (/[\\/]runops(\.mjs)?$/.test(argv1) && process.argv[2] === "worker");
const role = isConsole ? "console" : isWorker ? "worker" : null;

if (role && process.env.BENCH_V8_FLAGS) v8.setFlagsFromString(process.env.BENCH_V8_FLAGS);

const memoryLog =
  role === "console"
    ? process.env.BENCH_MEMORY_LOG
    : role === "worker"
      ? process.env.BENCH_WORKER_MEMORY_LOG
      : undefined;
if (memoryLog) {
  const fd = openSync(memoryLog, "a");
  const lag = monitorEventLoopDelay({ resolution: 10 });
  lag.enable();
  let elu = performance.eventLoopUtilization();
  const timer = setInterval(() => {
    const m = process.memoryUsage();
    const now = performance.eventLoopUtilization();
    const busy = performance.eventLoopUtilization(now, elu).utilization;
    elu = now;
    const loop = {
      elu: Math.round(busy * 1000) / 1000,
      lagMax: lag.max / 1e6,
      lagP99: lag.percentile(99) / 1e6,
    };
    lag.reset();
    writeSync(fd, `${JSON.stringify({ t: Date.now(), pid: process.pid, ...m, ...loop })}\n`);
  }, 100);
  timer.unref();
  process.once("exit", () => closeSync(fd));
}

const dir = process.env.BENCH_CPU_PROFILE_DIR;
if (role && dir) {
  const session = new Session();
  session.connect();
  session.post("Profiler.enable");
  session.post("Profiler.setSamplingInterval", { interval: 500 }); // µs
  session.post("Profiler.start");
  process.once("exit", () => {
    // An in-thread session answers synchronously: the profile is written before the process ends.
    session.post("Profiler.stop", (error, result) => {
      if (!error)
        writeFileSync(
          path.join(dir, `${role === "console" ? "next-server" : "worker"}-${process.pid}.cpuprofile`),
          JSON.stringify(result.profile),
        );
    });
  });
}
