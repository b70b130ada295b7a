import type { Operation } from "../api-client.ts";
import type { CommandDef } from "../command.ts";
import { formatConfigWarning } from "../../lib/config/types.ts";
import { ExitCode } from "../errors.ts";
import { type ListSpec, isHumanFormat, parseFormat, renderList } from "../format/list.ts";
import { listOptions } from "../format/options.ts";
import { COMMAND_MAX_LINES, truncateCommand } from "../format/truncate.ts";
import { PROJECT_OPTIONS, SERVICE_OPTIONS, matchesService, resolveTarget } from "../target.ts";

/** Columns as Upsun's CLI names them (service, name, start, stop, role), plus a few of runops'. */
export function operationColumns(full: boolean): ListSpec<Operation> {
  const command = (text: string | null) => (full ? (text ?? "").trim() : truncateCommand(text));
  return {
    columns: [
      { key: "service", header: "Service", value: (o) => o.service },
      { key: "name", header: "Operation name", value: (o) => o.name },
      { key: "start", header: "Start command", value: (o) => command(o.start) },
      { key: "role", header: "Role", value: (o) => o.role },
      { key: "stop", header: "Stop command", value: (o) => (o.stop === null ? null : command(o.stop)) },
      { key: "app", header: "App", value: (o) => o.app },
      { key: "worker", header: "Worker", value: (o) => o.worker },
      { key: "timeout", header: "Timeout", value: (o) => o.timeout },
      {
        key: "runnable",
        header: "You may run",
        value: (o) => o.canRun,
        text: (o) => (o.canRun ? "yes" : "no"),
      },
      { key: "reason", header: "Reason", value: (o) => o.reason },
    ],
    defaults: ["service", "name", "start", "role", "stop"],
  };
}

const spec = operationColumns(false);

const command: CommandDef = {
  description: [
    "Lists the runtime operations of the environment's current deployment: the",
    "`operations` of each application and worker in its .upsun/config.yaml.",
    "",
    `Commands longer than ${COMMAND_MAX_LINES} lines are cut and end with \`# ...\`; --full shows them whole.`,
    "JSON output holds the API's objects, whole, unless --columns is given.",
    "Config warnings (a key set twice: the last one counts, as on Upsun) go to stderr, one a line.",
  ].join("\n"),
  options: {
    ...PROJECT_OPTIONS,
    ...SERVICE_OPTIONS,
    full: { type: "boolean", description: `Show whole commands (else cut after ${COMMAND_MAX_LINES} lines)` },
    ...listOptions(
      spec.columns.map((c) => c.key),
      spec.defaults,
    ),
  },
  examples: [
    { description: "List the operations of an environment", command: "runops ops -p shop -e staging" },
    {
      description: "Only one app's, with whole commands",
      command: "runops ops -p shop -e staging -A storefront --full",
    },
    {
      description: "Names and roles as CSV",
      command: "runops ops -p shop -e main --format csv -c name,role",
    },
    { description: "Every field, for scripts", command: "runops ops -p shop -e main --format json" },
  ],
  async run(ctx, { options }) {
    const format = parseFormat(options.string("format"));
    const full = options.boolean("full");
    const columns = options.list("columns");
    const filter = { app: options.string("app"), worker: options.string("worker") };
    // JSON is for programs: never cut.
    const list = operationColumns(full || format === "json");
    // Checked before any request, so a typo in --columns fails fast.
    renderList([], list, { format, columns, header: false });

    const client = await ctx.client();
    const target = await resolveTarget(ctx, client, options);
    const answer = await client.operationList(target.project, target.environment);
    const operations = answer.operations.filter((o) => matchesService(o, filter));
    // On stderr in every format: a key set twice may have changed a role or dropped an operation,
    // and stdout stays what scripts parse (JSON output is an array, with no room for them).
    for (const w of answer.warnings) {
      ctx.stderr.write(`${ctx.style.yellow("Warning:")} ${formatConfigWarning(w)}\n`);
    }
    const where = `the environment ${ctx.style.bold(target.environment)} of ${target.project}${
      filter.worker ? `, worker ${filter.worker}` : filter.app ? `, app ${filter.app}` : ""
    }`;

    if (operations.length === 0 && format !== "json") {
      ctx.stderr.write(`No runtime operations found on ${where}.\n`);
      ctx.stderr.write(
        "Runtime operations are defined under `operations:` of an app or worker in .upsun/config.yaml.\n",
      );
      return ExitCode.ok;
    }
    if (isHumanFormat(format)) ctx.stderr.write(`Runtime operations on ${where}:\n`);
    ctx.stdout.write(
      renderList(operations, list, {
        format,
        columns,
        header: !options.boolean("no-header"),
        json: (o) => o,
      }),
    );
    if (isHumanFormat(format)) {
      const run = `runops operation:run <name> -p ${target.project} -e ${target.environment}`;
      ctx.stderr.write(`\nTo run an operation, use: ${ctx.style.green(run)}\n`);
    }
    return ExitCode.ok;
  },
};

export default command;
