import { parseArgs } from "node:util";
import type { CommandDef, CommandEntry, Input, OptionDef } from "./command.ts";
import { Options } from "./command.ts";
import { UsageError } from "./errors.ts";

/** Options every command accepts. */
export const HELP_OPTION: Readonly<Record<string, OptionDef>> = {
  help: { type: "boolean", short: "h", description: "Show this help" },
};

/**
 * Parses a command's arguments strictly: an unknown option, a missing value
 * or an extra argument is a usage error naming the command's help.
 */
export function parseInput(
  entry: CommandEntry,
  def: CommandDef,
  argv: readonly string[],
): Input & { help: boolean } {
  const all = { ...def.options, ...HELP_OPTION };
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
