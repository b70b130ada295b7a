import type { ApiClient } from "./api-client.ts";
import type { StoredConfig } from "./config.ts";
import type { Style } from "./format/style.ts";
import type { Env } from "./env.ts";

export interface OptionDef {
  type: "string" | "boolean";
  short?: string;
  /** May be given more than once (values are collected). */
  multiple?: boolean;
  /** Shown in help as --name=VALUE. */
  valueName?: string;
  description: string;
}

export interface ArgDef {
  name: string;
  description: string;
  required?: boolean;
}

export interface Example {
  description: string;
  command: string;
}

/** What a command file exports (its name, aliases and summary live in the registry). */
export interface CommandDef {
  description: string;
  args?: readonly ArgDef[];
  options: Readonly<Record<string, OptionDef>>;
  examples?: readonly Example[];
  /** Returns the exit code; throws CliError for everything the user should read. */
  run(ctx: Context, input: Input): Promise<number>;
}

export interface CommandEntry {
  name: string;
  aliases: readonly string[];
  summary: string;
  load: () => Promise<{ default: CommandDef }>;
}

/** Text output: process.stdout / process.stderr. */
export interface Output {
  write(chunk: string | Uint8Array): boolean;
  isTTY?: boolean;
}

export interface Context {
  stdout: Output;
  stdin: NodeJS.ReadStream;
  env: Env;
  /**
   * The CLI's own messages (titles, hints, outcomes): silent with -q. Errors
   * bypass it, and so do a run's own stderr lines (`runStderr`), which are data.
   */
  stderr: Output;
  /** Where operation:run writes the run's stderr and `[runops]` lines: stderr, even with -q. */
  runStderr: Output;
  /** Styling for messages on stderr. */
  style: Style;
  /** A person is at the keyboard: stdin and stderr are terminals, and neither -n nor -q was given. */
  interactive: boolean;
  /** How many -v were given: 1 or more prints each API request on stderr. */
  verbosity: number;
  configFile: string;
  /** The config file's contents (read once). */
  config(): StoredConfig;
  /**
   * A client for the configured server and token (env > config file), or for
   * the given ones (auth:login checks them before storing them).
   */
  client(connection?: { url: string; token: string }): Promise<ApiClient>;
  /**
   * Ctrl-C becomes this signal's abort instead of killing the process, for
   * commands that want to say something before exiting (what goes on running).
   */
  trapInterrupt(): AbortSignal;
}

/** Parsed options with typed accessors (node:util parseArgs gives string | boolean | arrays). */
export class Options {
  constructor(
    private readonly values: Readonly<Record<string, string | boolean | (string | boolean)[] | undefined>>,
  ) {}

  string(name: string): string | undefined {
    const value = this.values[name];
    if (Array.isArray(value)) {
      const last = value[value.length - 1];
      return typeof last === "string" ? last : undefined;
    }
    return typeof value === "string" ? value : undefined;
  }

  boolean(name: string): boolean {
    const value = this.values[name];
    return value === true || (Array.isArray(value) && value.includes(true));
  }

  /** How many times a boolean option was given (`-vvv`: 3). */
  count(name: string): number {
    const value = this.values[name];
    if (Array.isArray(value)) return value.filter((v) => v === true).length;
    return value === true ? 1 : 0;
  }

  list(name: string): string[] | undefined {
    const value = this.values[name];
    if (value === undefined) return undefined;
    const all = Array.isArray(value) ? value : [value];
    return all.filter((v): v is string => typeof v === "string");
  }
}

export interface Input {
  args: string[];
  options: Options;
}
