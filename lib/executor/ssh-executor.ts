import { randomBytes } from "node:crypto";
import { formatSeconds } from "./format-seconds";
import type { Client, ClientChannel } from "ssh2";
import { connectSsh } from "../ssh/connect";
import { type SshTarget, formatSshTarget } from "../ssh/target";
import { FrameReader, REMOTE_COMMAND, decodeFrameArg, encodeHeader } from "./ssh-remote-script";
import type { ExecHandle, ExecOutcome, OutputSink } from "./types";

/** What startSsh needs to run one operation on an SSH target. */
export type SshExecSpec = {
  runId: string;
  target: SshTarget;
  /** OpenSSH private keys, tried in order. */
  privateKeys: string[];
  /** The pinned host key fingerprint, SHA256:… */
  hostKey: string;
  command: string;
  stopCommand: string | null;
  /** The app's directory on the remote host (absolute). */
  cwd: string;
  /** The environment's directory on the remote host: cwd must resolve (pwd -P) inside it. */
  targetDir: string;
  /** PLATFORM_* + variables.env + RUNOPS_RUN_ID, on top of the remote login's own environment. */
  env: Record<string, string>;
  timeoutMs: number;
  graceMs: number;
  stopTimeoutMs: number;
};

/** After the remote side exited, the last bytes get this long of quiet before the channel is closed. */
const PIPE_DRAIN_MS = 100;
/** A cancel's remote sequence takes stop + grace + 1 s; past this much more, runops cuts the connection. */
const STOP_SLACK_MS = 3000;
/** What the login shell said before the wrapper was ready, kept for the reason when it never was. */
const NOISE_LIMIT = 2048;
/** runops pings the wrapper this often; after SILENCE_S without one, it ends the run by itself. */
const PING_MS = 5000;
const SILENCE_S = 30;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const RUN_ID = /^[A-Za-z0-9_-]+$/;

type Stop = { ended: "cancelled" | "timed-out"; reason: string };
type Exit = { code: number | null; signal: string | null };

/**
 * Runs `commands.start` on an SSH target, as startLocal does locally: output
 * streamed with back-pressure, commands.stop → SIGTERM → SIGKILL on cancel and
 * timeout, what the shell left running ended with a line in the log, and a
 * descendant holding stdout does not hold the run. One connection per run,
 * one exec of a constant wrapper (ssh-remote-script.ts, decision 0012) that
 * gets everything else over stdin. When the connection drops the run ends as
 * `lost`, and the wrapper ends the run's processes on its side by itself.
 */
export function startSsh(spec: SshExecSpec, sink: OutputSink): ExecHandle {
  const run = new SshRun(spec, sink);
  return { cancel: (reason) => run.requestStop("cancelled", reason), done: run.done };
}

class SshRun {
  readonly done: Promise<ExecOutcome>;
  private readonly where: string;
  private stopping: Stop | null = null;
  private channel: ClientChannel | null = null;
  private client: Client | null = null;
  /** The wrapper said `ready`: the command runs, stdout is its output. */
  private ready = false;
  /** Ends a connect still under way (a cancel need not wait for it). */
  private abortConnect: (() => void) | null = null;
  private stopDeadline: NodeJS.Timeout | null = null;
  /** The channel closed: nothing more is written to it, nothing more said. */
  private finished = false;

  constructor(
    private readonly spec: SshExecSpec,
    private readonly sink: OutputSink,
  ) {
    this.where = formatSshTarget(spec.target);
    this.done = this.execute();
  }

  requestStop(ended: Stop["ended"], reason: string) {
    if (this.stopping || this.finished) return;
    this.stopping = { ended, reason };
    this.abortConnect?.();
    // Before `ready`, the stop is said and sent when the wrapper is ready (or nothing ran).
    if (this.ready) this.sendStop();
  }

  private sendStop() {
    if (!this.stopping || this.finished) return;
    this.sink.system(this.stopping.reason);
    // The wrapper reads `cancel` lines until the run ends; it runs commands.stop, SIGTERM, SIGKILL.
    this.channel?.write("cancel\n");
    this.stopDeadline = setTimeout(
      () => {
        // The remote side did not finish: cutting the connection makes it end the run by itself.
        this.sink.system(`${this.where} did not end the run in time: closing the connection`);
        this.client?.end();
      },
      this.spec.stopTimeoutMs + this.spec.graceMs + STOP_SLACK_MS,
    );
  }

  private async execute(): Promise<ExecOutcome> {
    const { spec } = this;
    const nonce = randomBytes(16).toString("hex");
    const header = runHeader(spec, nonce);
    if (typeof header !== "string") return failed(header.error);

    const aborted = new Promise<"aborted">((resolve) => (this.abortConnect = () => resolve("aborted")));
    const connecting = connectSsh(spec.target, { privateKeys: spec.privateKeys, hostKey: spec.hostKey });
    let client: Client;
    try {
      const first = await Promise.race([connecting, aborted]);
      if (first === "aborted") {
        connecting.then(({ client: c }) => c.end()).catch(() => undefined);
        return stoppedBeforeStart(this.stopping);
      }
      client = first.client;
    } catch (error) {
      return failed((error as Error).message);
    } finally {
      this.abortConnect = null;
    }
    this.client = client;
    // Window adjusts, `cancel` and `ping` are small packets: none should wait for an ACK (Nagle).
    client.setNoDelay(true);

    let channel: ClientChannel;
    try {
      channel = await new Promise<ClientChannel>((resolve, reject) =>
        client.exec(REMOTE_COMMAND, (error, ch) => (error ? reject(error) : resolve(ch))),
      );
    } catch (error) {
      client.end();
      return failed(`could not start the command on ${this.where}: ${(error as Error).message}`);
    }
    if (this.stopping) {
      client.end();
      return stoppedBeforeStart(this.stopping);
    }
    this.channel = channel;
    // A write racing the channel's close is dropped, not thrown.
    channel.on("error", () => undefined);
    channel.write(header);
    return this.follow(client, channel, nonce);
  }

  /** From the exec on: the wrapper's frames, the output, the end. */
  private async follow(client: Client, channel: ClientChannel, nonce: string): Promise<ExecOutcome> {
    const { spec, sink, where } = this;
    // Held in an object: set from callbacks, which flow analysis does not follow.
    const seen: { exit: Exit | null; startError: string | null } = { exit: null, startError: null };
    let noise = "";
    let paused = false;
    let timer: NodeJS.Timeout | null = null;
    let drainTimer: NodeJS.Timeout | null = null;
    let silent = false;
    // Tells the wrapper runops is still there (it cannot tell a quiet network from a gone one).
    const pinger = setInterval(() => channel.write("ping\n"), PING_MS);

    const closed = new Promise<void>((resolve) => {
      const close = () => {
        this.finished = true;
        resolve();
      };
      channel.once("close", close);
      client.once("close", close);
    });
    const armDrain = () => {
      if (drainTimer) clearTimeout(drainTimer);
      drainTimer = null;
      // Output sent before the exit status may still come; quiet (not our own pause) ends the wait.
      if (seen.exit && !paused) drainTimer = setTimeout(() => client.end(), PIPE_DRAIN_MS);
    };
    const pause = () => {
      if (paused) return;
      paused = true;
      if (drainTimer) clearTimeout(drainTimer);
      channel.pause();
      channel.stderr.pause();
      sink.onDrain(() => {
        paused = false;
        channel.resume();
        channel.stderr.resume();
        armDrain();
      });
    };
    const keepNoise = (data: Buffer) => {
      // The login shell's chatter (a .bashrc), or why the wrapper could not start.
      if (noise.length < NOISE_LIMIT) noise += data.toString("utf8", 0, NOISE_LIMIT - noise.length);
    };
    const output = (stream: "stdout" | "stderr", data: Buffer) => {
      if (data.length === 0) return;
      if (!sink.write(stream, data)) pause();
    };
    // stderr has its own ready frame; the command's stderr could only precede stdout's in theory.
    const early: Buffer[] = [];
    let stderrReady = false;
    const errFrames = new FrameReader(
      nonce,
      (d) => (!stderrReady ? keepNoise(d) : this.ready ? output("stderr", d) : early.push(d)),
      (word) => (stderrReady ||= word === "ready"),
    );
    const onFrame = (word: string, arg: string) => {
      if (!this.ready) {
        if (word === "error") seen.startError ??= startErrorReason(spec, arg);
        if (word !== "ready" || seen.startError !== null) return;
        this.ready = true;
        for (const d of early.splice(0)) output("stderr", d);
        timer = setTimeout(
          () => this.requestStop("timed-out", `timed out after ${formatSeconds(spec.timeoutMs)}`),
          spec.timeoutMs,
        );
        // A stop requested while connecting or before the wrapper was ready.
        this.sendStop();
        return;
      }
      if (word === "stop") sink.system("running commands.stop");
      else if (word === "stop-late")
        sink.system(`commands.stop did not finish within ${formatSeconds(spec.stopTimeoutMs)}`);
      else if (word === "kill")
        sink.system(`still running ${formatSeconds(spec.graceMs)} after SIGTERM: sending SIGKILL`);
      else if (word === "left")
        sink.system(`the command's shell exited; ending what it left running: ${decodeFrameArg(arg)}`);
      else if (word === "silent") silent = true;
    };

    const frames = new FrameReader(nonce, (d) => (this.ready ? output("stdout", d) : keepNoise(d)), onFrame);
    channel.on("data", (d: Buffer) => {
      frames.push(d);
      armDrain();
    });
    channel.stderr.on("data", (d: Buffer) => {
      // Once ready, the wrapper writes nothing more on stderr: no need to look for frames.
      if (stderrReady && this.ready) output("stderr", d);
      else errFrames.push(d);
      armDrain();
    });
    channel.on("end", () => frames.end());
    channel.stderr.on("end", () => errFrames.end());
    channel.once("exit", (code: number | null, signal?: string) => {
      seen.exit = { code: code ?? null, signal: signal ?? null };
      armDrain();
    });

    await closed;
    clearInterval(pinger);
    for (const t of [timer, this.stopDeadline, drainTimer]) if (t) clearTimeout(t);
    frames.end();
    errFrames.end();
    client.end();

    if (seen.startError !== null) return failed(seen.startError);
    const stopped = this.stopping;
    const ended = seen.exit;
    if (!this.ready) {
      if (stopped && ended === null) return stoppedBeforeStart(stopped);
      const said = noise.trim().split("\n").slice(-3).join(" / ");
      return failed(
        `the command could not be started on ${where}` +
          (said ? `: ${said}` : ended ? ` (the remote shell ended with ${describeExit(ended)})` : ""),
      );
    }
    if (stopped) return { ...stopped, ...stoppedExit(ended) };
    if (ended === null || silent) {
      const reason = silent
        ? `${where} heard nothing from runops for ${SILENCE_S}s and ended the run`
        : `the SSH connection to ${where} was lost`;
      sink.system(reason);
      return { ended: "lost", exitCode: null, signal: null, reason };
    }
    return { ended: "exited", exitCode: ended.code, signal: ended.signal, reason: null };
  }
}

/**
 * The wrapper reports a command that died of a signal as 128 + n, as shells do;
 * runops reads it as the signal when it sent that signal itself (cancel, timeout).
 */
function stoppedExit(exit: Exit | null): { exitCode: number | null; signal: string | null } {
  if (exit === null) return { exitCode: null, signal: null };
  if (exit.code === 128 + 9) return { exitCode: null, signal: "SIGKILL" };
  if (exit.code === 128 + 15) return { exitCode: null, signal: "SIGTERM" };
  return { exitCode: exit.code, signal: exit.signal };
}

function describeExit(exit: Exit): string {
  return exit.code !== null ? `code ${exit.code}` : `${exit.signal}`;
}

function failed(reason: string): ExecOutcome {
  return { ended: "spawn-failed", exitCode: null, signal: null, reason };
}

function stoppedBeforeStart(stop: Stop | null): ExecOutcome {
  return { ...(stop ?? { ended: "cancelled", reason: "cancelled" }), exitCode: null, signal: null };
}

/** What the wrapper's `error <code> [args]` means, worded as startLocal words it. */
function startErrorReason(spec: SshExecSpec, arg: string): string {
  const [code, ...rest] = arg.split(" ");
  const [real, realTarget] = rest.map(decodeFrameArg);
  const where = formatSshTarget(spec.target);
  switch (code) {
    case "no-app":
      return `application directory ${spec.cwd} does not exist on ${where}`;
    case "not-dir":
      return `application directory ${spec.cwd} is not a directory on ${where}`;
    case "no-target":
      return `the target directory ${spec.targetDir} does not exist on ${where}`;
    case "no-access":
      return `application directory ${spec.cwd} cannot be entered by ${spec.target.user} on ${where}`;
    case "outside":
      return `application directory ${spec.cwd} resolves to ${real}, outside the target ${realTarget} on ${where}`;
    case "no-setsid":
      return `${where} has no setsid (util-linux), which runops needs to contain a run`;
    default:
      return `the runops wrapper on ${where} refused the run (${code}): is this runops version supported?`;
  }
}

/** The run's header for the wrapper, or (`error`) why the run cannot be sent. */
function runHeader(spec: SshExecSpec, nonce: string): string | { error: string } {
  if (!RUN_ID.test(spec.runId)) return { error: `invalid run id ${JSON.stringify(spec.runId)}` };
  for (const [what, dir] of [
    ["application directory", spec.cwd],
    ["target directory", spec.targetDir],
  ] as const) {
    if (!dir.startsWith("/")) return { error: `the ${what} ${dir} on the remote host must be absolute` };
  }
  const values: Array<[string, string]> = [
    ["the command", spec.command],
    ["the stop command", spec.stopCommand ?? ""],
    ["the application directory", spec.cwd],
    ["the target directory", spec.targetDir],
  ];
  const env: Array<[string, string]> = [];
  for (const [name, value] of Object.entries(spec.env)) {
    if (name === "RUNOPS_RUN_ID") continue; // the wrapper sets the marker itself, from the run id
    if (!ENV_NAME.test(name))
      return { error: `${JSON.stringify(name)} is not a valid environment variable name` };
    values.push([`the variable ${name}`, value]);
    env.push([name, value]);
  }
  for (const [what, value] of values) {
    if (value.includes("\0")) return { error: `${what} contains a NUL byte, which a shell cannot pass on` };
  }
  return encodeHeader({
    nonce,
    runId: spec.runId,
    graceMs: spec.graceMs,
    stopTimeoutMs: spec.stopTimeoutMs,
    silenceS: SILENCE_S,
    targetDir: spec.targetDir,
    cwd: spec.cwd,
    command: spec.command,
    stopCommand: spec.stopCommand,
    env,
  });
}
