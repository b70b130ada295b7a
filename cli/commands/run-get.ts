import type { Run } from "../api-client.ts";
import type { CommandDef } from "../command.ts";
import { ExitCode, UsageError } from "../errors.ts";
import { renderDelimited, renderPlain } from "../format/delimited.ts";
import { FORMATS, isHumanFormat, parseFormat } from "../format/list.ts";
import { renderTable } from "../format/table.ts";
import { runById } from "../run-selection.ts";
import { PROJECT_OPTIONS } from "../target.ts";

type Value = string | number | boolean | null;

/** The run's fields as property paths: nested objects flattened (`triggeredBy.email`). */
export function runProperties(run: Run): [string, Value][] {
  const out: [string, Value][] = [];
  const walk = (prefix: string, value: unknown) => {
    if (value !== null && typeof value === "object" && !Array.isArray(value)) {
      for (const [key, inner] of Object.entries(value)) walk(prefix ? `${prefix}.${key}` : key, inner);
    } else if (value === null || ["string", "number", "boolean"].includes(typeof value)) {
      out.push([prefix, value as Value]);
    } else {
      out.push([prefix, JSON.stringify(value)]);
    }
  };
  walk("", run);
  return out;
}

/** One property, by path (`state`, `triggeredBy.email`, or `triggeredBy` for the whole object). */
export function runProperty(run: Run, path: string): { found: boolean; value: unknown } {
  let current: unknown = run;
  for (const key of path.split(".")) {
    if (current === null || typeof current !== "object" || !Object.hasOwn(current, key)) {
      return { found: false, value: undefined };
    }
    current = (current as Record<string, unknown>)[key];
  }
  return { found: true, value: current };
}

const text = (value: unknown) =>
  value === null || value === undefined
    ? ""
    : typeof value === "object"
      ? JSON.stringify(value, null, 2)
      : String(value);

const command: CommandDef = {
  description: [
    "Shows one run's fields, one per row, as the API has them. Without ID, the",
    "environment's latest run (-p/-e choose the environment).",
    "",
    "-P prints one property's value alone, for scripts: `-P state`, `-P exitCode`,",
    "`-P triggeredBy.email` (an object, e.g. `-P triggeredBy`, is printed as JSON;",
    "null as an empty line).",
  ].join("\n"),
  args: [{ name: "ID", description: "The run's id (default: the environment's latest run)" }],
  options: {
    ...PROJECT_OPTIONS,
    property: { type: "string", short: "P", valueName: "PROPERTY", description: "The property to print" },
    format: {
      type: "string",
      valueName: "FORMAT",
      description: `The output format: ${FORMATS.join(", ")} (default: table)`,
    },
  },
  examples: [
    { description: "Everything about a run", command: "runops run:get 01JZ8Q4K0000000000000000" },
    { description: "The state of the latest run", command: "runops run:get -p shop -e main -P state" },
    {
      description: "Who started it",
      command: "runops run:get 01JZ8Q4K0000000000000000 -P triggeredBy.email",
    },
  ],
  async run(ctx, { args, options }) {
    const format = parseFormat(options.string("format"));
    const property = options.string("property");
    const client = await ctx.client();
    const run = await runById(ctx, client, args[0], options);

    if (property !== undefined) {
      const { found, value } = runProperty(run, property);
      if (!found) {
        throw new UsageError(
          `unknown property "${property}"`,
          `properties: ${runProperties(run)
            .map(([key]) => key)
            .join(", ")}`,
        );
      }
      ctx.stdout.write(format === "json" ? `${JSON.stringify(value, null, 2)}\n` : `${text(value)}\n`);
      return ExitCode.ok;
    }

    if (format === "json") {
      ctx.stdout.write(`${JSON.stringify(run, null, 2)}\n`);
      return ExitCode.ok;
    }
    const header = ["Property", "Value"];
    const rows = runProperties(run).map(([key, value]) => [key, text(value)]);
    if (format === "table") ctx.stdout.write(renderTable(header, rows));
    else if (format === "plain") ctx.stdout.write(renderPlain(header, rows));
    else ctx.stdout.write(renderDelimited(header, rows, format === "csv" ? "," : "\t"));
    if (isHumanFormat(format)) {
      ctx.stderr.write(`\nTo see its log, use: ${ctx.style.green(`runops run:log ${run.id}`)}\n`);
    }
    return ExitCode.ok;
  },
};

export default command;
