import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

export const BASE_URL = `http://127.0.0.1:${process.env.E2E_PORT ?? 3100}`;
export const BIN = path.resolve(import.meta.dirname, "../../bin/runops.mjs");

/** Environment variables of a CLI process. */
export type CliEnv = Record<string, string | undefined>;

/** Exit codes as docs/cli.md lists them. */
export const EXIT = {
  ok: 0,
  runFailed: 1,
  usage: 2,
  auth: 3,
  permission: 4,
  notFound: 5,
  unreachable: 6,
  conflict: 7,
  interrupted: 130,
} as const;

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * The environment of a CLI process: a home of its own (so no real config file
 * is read or written), no colours, and the server and token given.
 */
export function cliEnv(options: { token?: string; url?: string; home?: string; extra?: CliEnv } = {}) {
  const home = options.home ?? mkdtempSync(path.join(tmpdir(), "runops-cli-home-"));
  const env: CliEnv = {
    PATH: process.env.PATH,
    HOME: home,
    XDG_CONFIG_HOME: path.join(home, ".config"),
    NO_COLOR: "1",
    TERM: "xterm-256color",
    RUNOPS_URL: options.url ?? BASE_URL,
    ...(options.token ? { RUNOPS_TOKEN: options.token } : {}),
    ...options.extra,
  };
  for (const [key, value] of Object.entries(env)) if (value === undefined) delete env[key];
  return env;
}

/** spawn() wants NodeJS.ProcessEnv, whose Next.js augmentation requires NODE_ENV (spawn skips undefined values). */
function processEnv(env: CliEnv): NodeJS.ProcessEnv {
  return { ...env, NODE_ENV: process.env.NODE_ENV };
}

/** A running `node bin/runops.mjs …`, its output collected as it comes. */
export class CliProcess {
  readonly child: ChildProcess;
  stdout = "";
  stderr = "";
  readonly exited: Promise<CliResult>;
  private waiters: (() => void)[] = [];

  constructor(args: readonly string[], env: CliEnv, input?: string) {
    this.child = spawn(process.execPath, [BIN, ...args], {
      env: processEnv(env),
      stdio: ["pipe", "pipe", "pipe"],
    });
    this.child.stdout?.setEncoding("utf8").on("data", (d: string) => this.append("stdout", d));
    this.child.stderr?.setEncoding("utf8").on("data", (d: string) => this.append("stderr", d));
    this.child.stdin?.end(input ?? "");
    this.exited = new Promise((resolve, reject) => {
      this.child.on("error", reject);
      this.child.on("close", (code) => resolve({ code, stdout: this.stdout, stderr: this.stderr }));
    });
  }

  private append(stream: "stdout" | "stderr", data: string) {
    this[stream] += data;
    for (const wake of this.waiters.splice(0)) wake();
  }

  /** Resolves once the stream's output matches; fails if the process exits first. */
  async waitFor(stream: "stdout" | "stderr", pattern: RegExp): Promise<RegExpMatchArray> {
    for (;;) {
      const match = this[stream].match(pattern);
      if (match) return match;
      const exited = this.child.exitCode !== null || this.child.signalCode !== null;
      if (exited) {
        throw new Error(
          `exited before ${stream} matched ${pattern}\nstdout:\n${this.stdout}\nstderr:\n${this.stderr}`,
        );
      }
      await Promise.race([new Promise<void>((r) => this.waiters.push(r)), this.exited]);
    }
  }
}

/** Runs the CLI to its end. */
export function runops(args: readonly string[], env: CliEnv, input?: string): Promise<CliResult> {
  return new CliProcess(args, env, input).exited;
}

/**
 * The CLI on a pseudo-terminal, through util-linux `script` (no native
 * module): what it draws arrives on `output`, keystrokes go through `write`.
 */
export class PtyProcess {
  readonly child: ChildProcess;
  output = "";
  readonly exited: Promise<number | null>;
  private waiters: (() => void)[] = [];

  constructor(args: readonly string[], env: CliEnv) {
    const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
    const command = [process.execPath, BIN, ...args].map(quote).join(" ");
    this.child = spawn("script", ["-qfec", command, "/dev/null"], {
      env: processEnv(env),
      stdio: ["pipe", "pipe", "pipe"],
    });
    const collect = (d: string) => {
      this.output += d;
      for (const wake of this.waiters.splice(0)) wake();
    };
    this.child.stdout?.setEncoding("utf8").on("data", collect);
    this.child.stderr?.setEncoding("utf8").on("data", collect);
    this.exited = new Promise((resolve, reject) => {
      this.child.on("error", reject);
      this.child.on("close", (code) => resolve(code));
    });
  }

  /** Output since the start with terminal control sequences removed. */
  get text(): string {
    return this.output.replace(/\x1b\[[0-9;?]*[ -/]*[@-~]/g, "").replace(/\r/g, "");
  }

  async waitFor(pattern: RegExp, from = 0): Promise<number> {
    for (;;) {
      const index = this.text.slice(from).search(pattern);
      if (index >= 0) return from + index;
      if (this.child.exitCode !== null) throw new Error(`exited before ${pattern} appeared:\n${this.text}`);
      await Promise.race([new Promise<void>((r) => this.waiters.push(r)), this.exited]);
    }
  }

  write(keys: string) {
    this.child.stdin?.write(keys);
  }
}

export const KEY = { down: "\x1b[B", up: "\x1b[A", enter: "\r", escape: "\x1b" } as const;
