import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { formatSeconds } from "./format-seconds";
import { stat } from "node:fs/promises";
import { waitEmpty } from "./containment";
import { resolveInsideTarget } from "./inside-target";
import { describe } from "./proc";
import { spareProgram } from "./spare-shell";
import type { ExecHandle, ExecOutcome, ExecSpec, OutputSink } from "./types";

/** How long what a finished shell left running may go on before it is ended. */
const LEFTOVER_GRACE_MS = 200;
/** SIGTERM → SIGKILL for what a finished shell left running. */
const LEFTOVER_TERM_MS = 300;
/** After the run's processes are gone, the last bytes in the pipes get this long. */
const PIPE_DRAIN_MS = 100;

/**
 * The shell waits for a line on stdin before it runs the command: the worker
 * first moves it into the run's cgroup, so not even its first child escapes.
 */
const WAIT_THEN_EXEC = 'read -r _ || exit 126; exec /bin/sh -c "$1" </dev/null';

type Stop = { ended: "cancelled" | "timed-out"; reason: string };

/**
 * Runs `commands.start` with /bin/sh -c in the application's directory, as the
 * run-as user, in a session of its own and in the run's containment. The run
 * ends when the shell exits: what it left running is ended (with a line in
 * the log), and a descendant that holds the output pipes does not hold the run.
 * Cancel and timeout: commands.stop, SIGTERM to every process, SIGKILL after
 * the grace period.
 */
export function startLocal(spec: ExecSpec, sink: OutputSink): ExecHandle {
  // Held in an object: it is set from callbacks, which flow analysis does not follow.
  const state: { stopping: Stop | null; terminating: Promise<void> | null } = {
    stopping: null,
    terminating: null,
  };
  let started = false;
  // Read through a function: flow analysis does not see the callbacks that set it.
  const stopRequest = () => state.stopping;
  const requestStop = (ended: Stop["ended"], reason: string) => {
    if (state.stopping) return;
    state.stopping = { ended, reason };
    if (!started) return;
    sink.system(reason);
    state.terminating = terminate(spec, sink);
  };

  const done = (async (): Promise<ExecOutcome> => {
    const dirError = await checkDirectory(spec.cwd);
    const inside = dirError ? null : await resolveInsideTarget(spec.target, spec.cwd);
    if (dirError || !inside?.ok || state.stopping) {
      // Never started: a spare shell given for it exits (an empty program) and its cgroup goes.
      await discardSpare(spec);
      if (dirError) return { ended: "spawn-failed", exitCode: null, signal: null, reason: dirError };
      if (inside && !inside.ok)
        return { ended: "spawn-failed", exitCode: null, signal: null, reason: inside.reason };
      if (state.stopping) return { ...state.stopping, exitCode: null, signal: null };
    }

    let child: ChildProcessWithoutNullStreams;
    try {
      child = spec.spare ?? (await spawnContained(spec, spec.command));
      spec.spare?.stdin.end(spareProgram(spec.cwd, spec.env, spec.command));
    } catch (error) {
      spec.containment.kill();
      return { ended: "spawn-failed", exitCode: null, signal: null, reason: (error as Error).message };
    }
    started = true;

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
    const pipesClosed = Promise.all([
      new Promise((r) => child.stdout.once("close", r)),
      new Promise((r) => child.stderr.once("close", r)),
    ]);
    const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) => {
      child.once("exit", (code, signal) => resolve({ code, signal }));
    });
    const timer = setTimeout(
      () => requestStop("timed-out", `timed out after ${formatSeconds(spec.timeoutMs)}`),
      spec.timeoutMs,
    );
    // A stop requested while the shell was being spawned.
    const early = stopRequest();
    if (early && !state.terminating) {
      sink.system(early.reason);
      state.terminating = terminate(spec, sink);
    }

    const exit = await exited;
    clearTimeout(timer);
    if (state.terminating) await state.terminating;
    else await endLeftovers(spec, sink);
    if (state.terminating) await state.terminating; // a cancel that came during the leftovers
    await Promise.race([pipesClosed, delay(PIPE_DRAIN_MS)]);
    child.stdout.destroy();
    child.stderr.destroy();
    spec.containment.release();

    const stopped = stopRequest();
    if (stopped) return { ...stopped, exitCode: exit.code, signal: exit.signal };
    return { ended: "exited", exitCode: exit.code, signal: exit.signal, reason: null };
  })();

  return { cancel: (reason) => requestStop("cancelled", reason), done };
}

async function discardSpare(spec: ExecSpec) {
  const spare = spec.spare;
  if (!spare) return;
  const exited = new Promise((resolve) =>
    spare.exitCode !== null ? resolve(null) : spare.once("exit", resolve),
  );
  spare.stdin.end();
  await exited;
  spec.containment.release();
}

/** Spawns `/bin/sh -c script` waiting, moves it into the run's containment, then lets it run. */
async function spawnContained(spec: ExecSpec, script: string): Promise<ChildProcessWithoutNullStreams> {
  const asOther = spec.runAs !== null && spec.runAs.uid !== process.getuid?.();
  const child = spawn("/bin/sh", ["-c", WAIT_THEN_EXEC, "runops", script], {
    cwd: spec.cwd,
    // Next.js types NODE_ENV as required; commands must not inherit the server's.
    env: spec.env as NodeJS.ProcessEnv,
    detached: true, // setsid: a session and process group of its own
    stdio: ["pipe", "pipe", "pipe"],
    ...(asOther && spec.runAs ? { uid: spec.runAs.uid, gid: spec.runAs.gid } : {}),
  });
  await new Promise<void>((resolve, reject) => {
    child.once("spawn", resolve);
    child.once("error", reject);
  });
  if (child.pid === undefined) throw new Error("the command's shell could not be started");
  try {
    spec.containment.adopt(child.pid);
  } catch (error) {
    child.kill("SIGKILL");
    throw new Error(`could not contain the command: ${(error as Error).message}`);
  }
  child.stdin.end("\n");
  return child;
}

/** The shell exited: whatever it left behind gets a short grace, then is ended, and the log says so. */
async function endLeftovers(spec: ExecSpec, sink: OutputSink) {
  const run = spec.containment;
  if (await waitEmpty(run, LEFTOVER_GRACE_MS)) return;
  const left = run.pids();
  if (left.length === 0) return;
  sink.system(`the command's shell exited; ending what it left running: ${describe(left)}`);
  run.signal("SIGTERM");
  if (await waitEmpty(run, LEFTOVER_TERM_MS)) return;
  run.kill();
  await waitEmpty(run, 1000);
}

/** commands.stop if defined, then SIGTERM to every process, then SIGKILL after the grace period. */
async function terminate(spec: ExecSpec, sink: OutputSink) {
  if (spec.stopCommand) {
    sink.system("running commands.stop");
    await runStopCommand(spec, sink);
  }
  const run = spec.containment;
  run.signal("SIGTERM");
  if (!(await waitEmpty(run, spec.graceMs))) {
    sink.system(`still running ${formatSeconds(spec.graceMs)} after SIGTERM: sending SIGKILL`);
    run.kill();
    await waitEmpty(run, 1000);
  }
}

async function runStopCommand(spec: ExecSpec, sink: OutputSink) {
  let stop: ChildProcessWithoutNullStreams;
  try {
    stop = await spawnContained(spec, spec.stopCommand ?? "");
  } catch (error) {
    sink.system(`commands.stop could not start: ${(error as Error).message}`);
    return;
  }
  stop.stdout.on("data", (d: Buffer) => sink.write("stdout", d));
  stop.stderr.on("data", (d: Buffer) => sink.write("stderr", d));
  const finished = new Promise<boolean>((resolve) => stop.once("exit", () => resolve(false)));
  const timedOut = await Promise.race([finished, delay(spec.stopTimeoutMs).then(() => true)]);
  if (timedOut && stop.pid !== undefined) {
    sink.system(`commands.stop did not finish within ${formatSeconds(spec.stopTimeoutMs)}`);
    try {
      process.kill(-stop.pid, "SIGKILL");
    } catch {
      // gone
    }
  }
  await Promise.race([finished, delay(1000)]);
}

async function checkDirectory(dir: string): Promise<string | null> {
  try {
    const s = await stat(dir);
    return s.isDirectory() ? null : `application directory ${dir} is not a directory`;
  } catch {
    return `application directory ${dir} does not exist`;
  }
}

const delay = (ms: number) => new Promise<void>((r) => setTimeout(r, ms).unref());
