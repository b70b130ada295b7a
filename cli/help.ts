import { GLOBAL_OPTIONS } from "./args.ts";
import type { CommandDef, CommandEntry } from "./command.ts";
import type { Style } from "./format/style.ts";

/** `runops CMD --help`, laid out like Upsun's CLI (Symfony Console). */
export function commandHelp(entry: CommandEntry, def: CommandDef, style: Style): string {
  const lines: string[] = [];
  lines.push(`${style.yellow("Command:")} ${entry.name}`);
  if (entry.aliases.length > 0) lines.push(`${style.yellow("Aliases:")} ${entry.aliases.join(", ")}`);
  lines.push(`${style.yellow("Description:")} ${entry.summary}`, "");

  const args = (def.args ?? []).map((a) => (a.required ? a.name : `[${a.name}]`)).join(" ");
  lines.push(style.yellow("Usage:"));
  for (const name of [entry.name, ...entry.aliases]) {
    lines.push(
      `  runops ${name}${Object.keys(def.options).length > 0 ? " [options]" : ""}${args ? ` ${args}` : ""}`,
    );
  }
  lines.push("");

  if ((def.args ?? []).length > 0) {
    lines.push(style.yellow("Arguments:"));
    const width = Math.max(...(def.args ?? []).map((a) => a.name.length));
    for (const a of def.args ?? []) lines.push(`  ${style.green(a.name.padEnd(width))}  ${a.description}`);
    lines.push("");
  }

  const options = Object.entries({ ...def.options, ...GLOBAL_OPTIONS });
  const labels = options.map(([name, o]) => {
    const short = o.short ? `-${o.short}, ` : "    ";
    const value = o.type === "string" ? `=${o.valueName ?? name.toUpperCase()}` : "";
    return `${short}--${name}${value}`;
  });
  const width = Math.max(...labels.map((l) => l.length));
  lines.push(style.yellow("Options:"));
  options.forEach(([, o], i) => {
    const [first, ...rest] = o.description.split("\n");
    lines.push(`  ${style.green((labels[i] ?? "").padEnd(width))}  ${first}`);
    for (const more of rest) lines.push(`  ${" ".repeat(width)}  ${more}`);
  });
  lines.push("");

  lines.push(style.yellow("Help:"));
  for (const line of def.description.split("\n")) lines.push(line ? `  ${line}` : "");
  if (def.examples && def.examples.length > 0) {
    lines.push("", style.yellow("Examples:"));
    for (const example of def.examples) {
      lines.push(`  ${example.description}:`, `    ${style.cyan(example.command)}`, "");
    }
    lines.pop();
  }
  return `${lines.join("\n")}\n`;
}

/** `runops`, `runops list`, `runops --help`: every command with its summary. */
export function commandList(commands: readonly CommandEntry[], version: string, style: Style): string {
  const lines = [
    `runops CLI ${style.green(version)}: runtime operations of .upsun/config.yaml, from the terminal`,
    "",
    style.yellow("Usage:"),
    "  runops <command> [options] [arguments]",
    "",
    style.yellow("Global options:"),
    `  ${style.green("-h, --help          ")}  Help for the command`,
    `  ${style.green("-V, --version       ")}  The CLI's version`,
    `  ${style.green("-n, --no-interaction")}  Ask nothing: no chooser, no confirmation`,
    `  ${style.green("-q, --quiet         ")}  No messages but errors (implies -n)`,
    `  ${style.green("-v, --verbose       ")}  Print each API request on stderr`,
    `  ${style.green("--ansi, --no-ansi   ")}  Force or forbid colours`,
    "",
    style.yellow("Configuration:"),
    "  RUNOPS_URL, RUNOPS_TOKEN, RUNOPS_PROJECT, RUNOPS_ENVIRONMENT, or `runops auth:login`",
    "",
    style.yellow("Available commands:"),
  ];
  const names = commands.map((c) => (c.aliases.length > 0 ? `${c.name} (${c.aliases.join(", ")})` : c.name));
  const width = Math.max(...names.map((n) => n.length));
  let group = "";
  commands.forEach((c, i) => {
    const g = c.name.split(":")[0] ?? "";
    if (g !== group) {
      lines.push(` ${style.yellow(g)}`);
      group = g;
    }
    lines.push(`  ${style.green((names[i] ?? "").padEnd(width))}  ${c.summary}`);
  });
  lines.push("", "Run `runops <command> --help` for a command's options and examples.");
  return `${lines.join("\n")}\n`;
}
