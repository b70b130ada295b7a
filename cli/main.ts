import { type GlobalFlags, globalFlags, parseInput } from "./args.ts";
import type { Context, Output } from "./command.ts";
import { COMMANDS, findCommand } from "./commands/index.ts";
import { type StoredConfig, configPath, readConfig, resolveConnection } from "./config.ts";
import { CliError, ExitCode, UsageError } from "./errors.ts";
import { styleFor } from "./format/style.ts";
import { commandHelp, commandList } from "./help.ts";
import { VERSION } from "./version.ts";
import type { Env } from "./env.ts";

export interface MainIo {
  stdout: Output;
  stderr: Output;
  stdin: NodeJS.ReadStream;
  env: Env;
}

/** Runs the CLI; returns the exit code (the caller exits with it). */
export async function main(argv: readonly string[], io: MainIo = processIo()): Promise<number> {
  const style = styleFor(io.stderr, io.env);
  const outStyle = styleFor(io.stdout, io.env);
  // Global options may come before the command too (`runops -v ops`): they join its own.
  const lead = argv.findIndex((arg) => !LEADING_GLOBAL.test(arg));
  const leading = lead === -1 ? argv : argv.slice(0, lead);
  const [first, ...after] = lead === -1 ? [] : argv.slice(lead);
  const rest = [...leading, ...after];

  if (first === "--version" || first === "-V") {
    io.stdout.write(`runops CLI ${VERSION}\n`);
    return ExitCode.ok;
  }
  if (first === undefined || first === "list" || first === "--help" || first === "-h") {
    io.stdout.write(commandList(COMMANDS, VERSION, outStyle));
    return ExitCode.ok;
  }

  const helpFor = first === "help" ? after[0] : undefined;
  const name = helpFor ?? first;
  const entry = findCommand(name);
  if (!entry) {
    if (first === "help" && after.length === 0) {
      io.stdout.write(commandList(COMMANDS, VERSION, outStyle));
      return ExitCode.ok;
    }
    const similar = COMMANDS.filter(
      (c) => c.name.includes(name) || name.includes(c.name.split(":")[1] ?? "?"),
    );
    return report(
      io,
      style,
      new UsageError(
        `unknown command "${name}"`,
        similar.length > 0
          ? `did you mean ${similar.map((c) => c.name).join(", ")}?`
          : "run `runops list` to see the commands",
      ),
    );
  }

  let errorStyle = style;
  try {
    const def = (await entry.load()).default;
    if (helpFor) {
      io.stdout.write(commandHelp(entry, def, outStyle));
      return ExitCode.ok;
    }
    const input = parseInput(entry, def, rest);
    const flags = globalFlags(input.options);
    if (input.help) {
      io.stdout.write(commandHelp(entry, def, styleFor(io.stdout, io.env, flags.ansi)));
      return ExitCode.ok;
    }
    const ctx = makeContext(io, flags);
    errorStyle = ctx.style;
    return await def.run(ctx, input);
  } catch (error) {
    return report(io, errorStyle, error);
  }
}

const LEADING_GLOBAL = /^(-[nqv]+|--(no-interaction|quiet|verbose|ansi|no-ansi))$/;

const silent: Output = { write: () => true };

function makeContext(io: MainIo, flags: GlobalFlags): Context {
  const file = configPath(io.env);
  let stored: StoredConfig | undefined;
  let interrupt: AbortController | undefined;
  const style = styleFor(io.stderr, io.env, flags.ansi);
  const messages = flags.quiet ? silent : io.stderr;
  const ctx: Context = {
    stdout: io.stdout,
    stdin: io.stdin,
    env: io.env,
    stderr: messages,
    runStderr: io.stderr,
    style,
    interactive: flags.interaction && Boolean(io.stdin.isTTY && io.stderr.isTTY),
    verbosity: flags.verbosity,
    configFile: file,
    config: () => (stored ??= readConfig(file)),
    async client(given) {
      const connection = given ?? resolveConnection({}, io.env, ctx.config());
      // Loaded here, not at the top: commands' --help then needs no zod.
      const { ApiClient } = await import("./api-client.ts");
      return new ApiClient({
        url: connection.url,
        token: connection.token,
        ...(flags.verbosity > 0
          ? { trace: (line: string) => void messages.write(style.dim(`[runops CLI] ${line}\n`)) }
          : {}),
      });
    },
    trapInterrupt() {
      if (!interrupt) {
        const controller = new AbortController();
        interrupt = controller;
        process.once("SIGINT", () => controller.abort());
      }
      return interrupt.signal;
    },
  };
  return ctx;
}

/** Prints an error as one line (plus a hint line) and returns its exit code. */
function report(io: MainIo, style: Context["style"], error: unknown): number {
  if (error instanceof CliError) {
    // Ctrl-C or Esc: the user knows; say no more than what was left undone.
    if (error.exitCode === ExitCode.interrupted) {
      if (error.message !== "interrupted") io.stderr.write(`${error.message}\n`);
      return error.exitCode;
    }
    io.stderr.write(`${style.red("error:")} ${error.message}\n`);
    if (error.hint) io.stderr.write(`${style.dim(error.hint)}\n`);
    return error.exitCode;
  }
  if (isBrokenPipe(error)) return ExitCode.ok;
  const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
  io.stderr.write(`${style.red("error:")} unexpected failure, please report it:\n${detail}\n`);
  return 70;
}

function isBrokenPipe(error: unknown): boolean {
  return error instanceof Error && "code" in error && error.code === "EPIPE";
}

function processIo(): MainIo {
  // `runops run:log ID | head`: when the reader goes away, stop quietly instead
  // of dying on an unhandled EPIPE (Node ignores SIGPIPE and reports errors instead).
  process.stdout.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code === "EPIPE") process.exit(ExitCode.ok);
    throw error;
  });
  return { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env };
}
