import { spawn } from "node:child_process";
import { stat } from "node:fs/promises";
import { signalGroup, waitGroupGone } from "./process-group";
import type { ExecHandle, ExecOutcome, ExecSpec, OutputSink } from "./types";

/**
 * Runs `commands.start` with /bin/sh -c in the application's directory, in a
 * process group of its own, so cancel and timeout reach every child it made.
 */
export function startLocal(spec: ExecSpec, sink: OutputSink): ExecHandle {
  let pgid: number | undefined;
  // Held in an object: it is set from callbacks, which flow analysis does not follow.
  const state: { stopping: { ended: "cancelled" | "timed-out"; reason: string } | null } = { stopping: null };
  let requestStop: (ended: "cancelled" | "timed-out", reason: string) => void = (ended, reason) => {
    state.stopping ??= { ended, reason };
  };
  const stopRequest = () => state.stopping;
  // Next.js types NODE_ENV as required; commands must not inherit the server's.
  const env = spec.env as NodeJS.ProcessEnv;

  const done = (async (): Promise<ExecOutcome> => {
    const dirError = await checkDirectory(spec.cwd);
    if (dirError) return { ended: "spawn-failed", exitCode: null, signal: null, reason: dirError };
    if (state.stopping) return { ...state.stopping, exitCode: null, signal: null };

    const child = spawn("/bin/sh", ["-c", spec.command], {
      cwd: spec.cwd,
      env,
      detached: true, // setsid: the shell leads a new process group
      stdio: ["ignore", "pipe", "pipe"],
    });
    pgid = child.pid;

    const pause = () => {
      child.stdout.pause();
      child.stderr.pause();
      sink.onDrain(() => {
        child.stdout.resume();
        child.stderr.resume();
      });
    };
    child.stdout.on("data", (d: Buffer) => sink.write("stdout", d) || pause());
    child.stderr.on("data", (d: Buffer) => sink.write("stderr", d) || pause());

    const closed = new Promise<{ code: number | null; signal: string | null; error?: Error }>((resolve) => {
      child.once("error", (error) => resolve({ code: null, signal: null, error }));
      child.once("close", (code, signal) => resolve({ code, signal }));
    });

    let terminating: Promise<void> | null = null;
    requestStop = (ended, reason) => {
      if (state.stopping) return;
      state.stopping = { ended, reason };
      sink.system(reason);
      terminating = terminate(spec, child.pid, sink);
    };
    const timer = setTimeout(
      () => requestStop("timed-out", `timed out after ${formatSeconds(spec.timeoutMs)}`),
      spec.timeoutMs,
    );

    const exit = await closed;
    clearTimeout(timer);
    await terminating;
    if (exit.error) {
      return { ended: "spawn-failed", exitCode: null, signal: null, reason: exit.error.message };
    }
    const stopped = stopRequest();
    if (stopped) return { ...stopped, exitCode: exit.code, signal: exit.signal };
    return { ended: "exited", exitCode: exit.code, signal: exit.signal, reason: null };
  })();

  return {
    get pgid() {
      return pgid;
    },
    cancel: (reason) => requestStop("cancelled", reason),
    done,
  };
}

/** commands.stop if defined, then SIGTERM to the group, then SIGKILL after the grace period. */
async function terminate(spec: ExecSpec, groupId: number | undefined, sink: OutputSink) {
  if (spec.stopCommand) {
    sink.system("running commands.stop");
    await runStopCommand(spec, sink);
  }
  if (groupId === undefined) return;
  signalGroup(groupId, "SIGTERM");
  if (!(await waitGroupGone(groupId, spec.graceMs))) {
    sink.system(`still running ${formatSeconds(spec.graceMs)} after SIGTERM: sending SIGKILL`);
    signalGroup(groupId, "SIGKILL");
    await waitGroupGone(groupId, 5000);
  }
}

async function runStopCommand(spec: ExecSpec, sink: OutputSink) {
  const stop = spawn("/bin/sh", ["-c", spec.stopCommand ?? ""], {
    cwd: spec.cwd,
    env: spec.env as NodeJS.ProcessEnv,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  stop.stdout.on("data", (d: Buffer) => sink.write("stdout", d));
  stop.stderr.on("data", (d: Buffer) => sink.write("stderr", d));
  const finished = new Promise<void>((resolve) => {
    stop.once("error", () => resolve());
    stop.once("close", () => resolve());
  });
  const timedOut = await Promise.race([
    finished.then(() => false),
    new Promise<boolean>((r) => setTimeout(() => r(true), spec.stopTimeoutMs).unref()),
  ]);
  if (timedOut && stop.pid !== undefined) {
    sink.system(`commands.stop did not finish within ${formatSeconds(spec.stopTimeoutMs)}`);
    signalGroup(stop.pid, "SIGKILL");
    await finished;
  }
}

async function checkDirectory(dir: string): Promise<string | null> {
  try {
    const s = await stat(dir);
    return s.isDirectory() ? null : `application directory ${dir} is not a directory`;
  } catch {
    return `application directory ${dir} does not exist`;
  }
}

function formatSeconds(ms: number): string {
  const s = ms / 1000;
  return `${Number.isInteger(s) ? s : s.toFixed(1)}s`;
}
