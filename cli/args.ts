import { parseArgs } from "node:util";
import type { CommandDef, CommandEntry, Input, OptionDef } from "./command.ts";
import { Options } from "./command.ts";
import { UsageError } from "./errors.ts";

/** Options every command accepts, anywhere on the line, as Upsun's CLI (Symfony Console) has them. */
export const GLOBAL_OPTIONS: Readonly<Record<string, OptionDef>> = {
  help: { type: "boolean", short: "h", description: "Show this help" },
  "no-interaction": {
    type: "boolean",
    short: "n",
    description: "Ask nothing: no chooser, no confirmation (as without a terminal)",
  },
  quiet: {
    type: "boolean",
    short: "q",
    description: "No messages on stderr but errors (implies -n); a run's own output still shows",
  },
  verbose: {
    type: "boolean",
    short: "v",
    multiple: true,
    description: "Print each API request on stderr, with its status and time (-vv, -vvv: the same)",
  },
  ansi: { type: "boolean", description: "Colour messages even when stderr is not a terminal" },
  "no-ansi": { type: "boolean", description: "Never colour messages (as NO_COLOR=1)" },
};

/** What the global options ask for, read from a command's parsed options. */
export interface GlobalFlags {
  interaction: boolean;
  quiet: boolean;
  verbosity: number;
  /** true: --ansi, false: --no-ansi, undefined: decide from the terminal and NO_COLOR. */
  ansi: boolean | undefined;
}

export function globalFlags(options: Options): GlobalFlags {
  const quiet = options.boolean("quiet");
  const ansi = options.boolean("no-ansi") ? false : options.boolean("ansi") ? true : undefined;
  return {
    // Symfony Console's rule, which Upsun's CLI follows: quiet means no questions either.
    interaction: !options.boolean("no-interaction") && !quiet,
    quiet,
    verbosity: options.count("verbose"),
    ansi,
  };
}

/**
 * Parses a command's arguments strictly: an unknown option, a missing value
 * or an extra argument is a usage error naming the command's help.
 */
export function parseInput(
  entry: CommandEntry,
  def: CommandDef,
  argv: readonly string[],
): Input & { help: boolean } {
  const all = { ...def.options, ...GLOBAL_OPTIONS };
  const config = Object.fromEntries(
    Object.entries(all).map(([name, o]) => [
      name,
      { type: o.type, ...(o.short ? { short: o.short } : {}), ...(o.multiple ? { multiple: true } : {}) },
    ]),
  );
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: [...argv], options: config, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(describeParseError(error), `see \`runops ${entry.name} --help\``);
  }
  const options = new Options(parsed.values);
  const help = options.boolean("help");
  const declared = def.args ?? [];
  if (!help) {
    if (parsed.positionals.length > declared.length) {
      const extra = parsed.positionals.slice(declared.length).join(" ");
      throw new UsageError(`unexpected argument: ${extra}`, `see \`runops ${entry.name} --help\``);
    }
    const missing = declared.slice(parsed.positionals.length).find((a) => a.required);
    if (missing) {
      throw new UsageError(`missing argument ${missing.name}`, `see \`runops ${entry.name} --help\``);
    }
  }
  return { args: parsed.positionals, options, help };
}

/** parseArgs' messages are long and suggest `--` tricks; say the essential in the CLI's own words. */
function describeParseError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const code = error instanceof Error && "code" in error ? String(error.code) : "";
  // "Option '-p, --project <value>' argument missing": name the long form.
  const option = /--[\w-]+/.exec(message)?.[0] ?? /'(-[^' ,]+)/.exec(message)?.[1];
  if (code === "ERR_PARSE_ARGS_UNKNOWN_OPTION" && option) return `unknown option ${option}`;
  if (code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE" && option) {
    return message.includes("argument missing")
      ? `option ${option} needs a value`
      : `option ${option} takes no value`;
  }
  return message.split(/\.\s/)[0] ?? message;
}
