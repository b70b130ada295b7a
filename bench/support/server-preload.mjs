// Preloaded into the benchmark servers' processes (NODE_OPTIONS="--import=…"); acts only in the
// `next start` process (the next-server that serves requests and runs the embedded worker):
//  - BENCH_MEMORY_LOG=<file>: appends process.memoryUsage() every 100 ms as JSON lines, so RSS
//    can be split into V8 heap, Buffers (arrayBuffers/external) and the rest at its peak;
//  - BENCH_CPU_PROFILE_DIR=<dir>: a V8 CPU profile, written as next-server-<pid>.cpuprofile when
//    the process exits (Node refuses --cpu-prof in NODE_OPTIONS);
//  - BENCH_V8_FLAGS="--trace-gc …": V8 flags Node also refuses in NODE_OPTIONS.
import { closeSync, openSync, writeFileSync, writeSync } from "node:fs";
import { Session } from "node:inspector";
import path from "node:path";
import v8 from "node:v8";

// `node_modules/.bin/next start` (argv[1] is the path it was started by, often the .bin link).
const isNextStart = /[\\/]next$/.test(process.argv[1] ?? "") && process.argv[2] === "start";

if (isNextStart && process.env.BENCH_V8_FLAGS) v8.setFlagsFromString(process.env.BENCH_V8_FLAGS);

if (isNextStart && process.env.BENCH_MEMORY_LOG) {
  const fd = openSync(process.env.BENCH_MEMORY_LOG, "a");
  const timer = setInterval(() => {
    const m = process.memoryUsage();
    writeSync(fd, `${JSON.stringify({ t: Date.now(), ...m })}\n`);
  }, 100);
  timer.unref();
  process.once("exit", () => closeSync(fd));
}

const dir = process.env.BENCH_CPU_PROFILE_DIR;
if (isNextStart && dir) {
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
          path.join(dir, `next-server-${process.pid}.cpuprofile`),
          JSON.stringify(result.profile),
        );
    });
  });
}
