import type { Run } from "../api-client.ts";
import type { CommandDef } from "../command.ts";
import { ApiError, ExitCode, UsageError } from "../errors.ts";
import { type ListSpec, isHumanFormat, parseFormat, renderList } from "../format/list.ts";
import { listOptions } from "../format/options.ts";
import { formatDuration, runDuration } from "../outcome.ts";
import { serviceOf } from "../run-selection.ts";
import { runResults, runStates } from "../run-states.ts";
import { PROJECT_OPTIONS, resolveTarget } from "../target.ts";

/** An ISO time without its milliseconds: 2025-05-01T12:00:00Z. */
const shortTime = (iso: string | null) => (iso ? iso.replace(/\.\d+Z$/, "Z") : "");

export const runColumns: ListSpec<Run> = {
  columns: [
    { key: "id", header: "ID", value: (r) => r.id },
    { key: "created", header: "Created", value: (r) => r.createdAt, text: (r) => shortTime(r.createdAt) },
    { key: "operation", header: "Operation", value: (r) => r.operation },
    { key: "service", header: "Service", value: (r) => serviceOf(r) },
    { key: "state", header: "State", value: (r) => r.state, text: (r) => r.state.replace("_", " ") },
    { key: "result", header: "Result", value: (r) => r.result },
    {
      key: "exit",
      header: "Exit",
      value: (r) => r.exitCode ?? r.signal,
    },
    { key: "by", header: "By", value: (r) => r.triggeredBy.name },
    { key: "email", header: "Email", value: (r) => r.triggeredBy.email },
    { key: "source", header: "Source", value: (r) => r.source },
    { key: "started", header: "Started", value: (r) => r.startedAt, text: (r) => shortTime(r.startedAt) },
    { key: "finished", header: "Finished", value: (r) => r.finishedAt, text: (r) => shortTime(r.finishedAt) },
    {
      key: "duration",
      header: "Duration",
      value: (r) => runDuration(r),
      text: (r) => {
        const ms = runDuration(r);
        return ms === null ? "" : formatDuration(ms);
      },
    },
    { key: "reason", header: "Reason", value: (r) => r.reason },
    { key: "url", header: "URL", value: (r) => r.url },
  ],
  defaults: ["id", "created", "operation", "service", "state", "result", "exit", "by"],
};

/** The API's largest page; longer lists are fetched page by page. */
const PAGE = 100;

const command: CommandDef = {
  description: [
    "Lists the environment's runs, newest first, like the console's run history.",
    "JSON output holds the API's objects, whole, unless --columns is given.",
  ].join("\n"),
  options: {
    ...PROJECT_OPTIONS,
    operation: { type: "string", valueName: "NAME", description: "Only runs of this operation" },
    app: { type: "string", short: "A", valueName: "APP", description: "Only runs on this app" },
    state: {
      type: "string",
      valueName: "STATE",
      description: `Only runs in this state: ${runStates.join(", ")}`,
    },
    result: {
      type: "string",
      valueName: "RESULT",
      description: `Only runs with this result: ${runResults.join(", ")}`,
    },
    start: {
      type: "string",
      valueName: "DATE",
      description: "Only runs created before this ISO date or time (e.g. 2026-03-15)",
    },
    since: {
      type: "string",
      valueName: "DATE",
      description: "Only runs created at or after this ISO date or time",
    },
    limit: { type: "string", valueName: "N", description: "How many runs to show (default: 10)" },
    ...listOptions(
      runColumns.columns.map((c) => c.key),
      runColumns.defaults,
    ),
  },
  examples: [
    { description: "The last runs on staging", command: "runops run:list -p shop -e staging" },
    {
      description: "Failed runs of one operation",
      command: "runops run:list -p shop -e main --operation broken-migration --result failure",
    },
    {
      description: "Runs of the first half of March",
      command: "runops run:list -p shop -e main --since 2026-03-01 --start 2026-03-16",
    },
    {
      description: "Ids of runs in progress, for a script",
      command: "runops run:list -p shop -e main --state in_progress --format plain -c id --no-header",
    },
  ],
  async run(ctx, { options }) {
    const format = parseFormat(options.string("format"));
    const columns = options.list("columns");
    renderList([], runColumns, { format, columns, header: false });
    const state = options.string("state");
    const result = options.string("result");
    const states: readonly string[] = runStates;
    const results: readonly string[] = runResults;
    if (state && !states.includes(state))
      throw new UsageError(`invalid --state "${state}": use ${runStates.join(", ")}`);
    if (result && !results.includes(result)) {
      throw new UsageError(`invalid --result "${result}": use ${runResults.join(", ")}`);
    }
    const limitText = options.string("limit") ?? "10";
    const limit = Number(limitText);
    if (!/^\d+$/.test(limitText) || limit < 1)
      throw new UsageError(`invalid --limit "${limitText}": expected a positive integer`);

    const client = await ctx.client();
    const target = await resolveTarget(ctx, client, options);
    const runs: Run[] = [];
    let cursor: string | undefined;
    try {
      do {
        const page = await client.listRuns(target.project, target.environment, {
          operation: options.string("operation"),
          app: options.string("app"),
          state,
          result,
          before: options.string("start"),
          since: options.string("since"),
          limit: Math.min(PAGE, limit - runs.length),
          cursor,
        });
        runs.push(...page.runs);
        cursor = page.nextCursor ?? undefined;
      } while (cursor && runs.length < limit);
    } catch (error) {
      throw invalidDate(error, options.string("start"), options.string("since"));
    }
    runs.splice(limit);

    if (runs.length === 0 && format !== "json") {
      ctx.stderr.write(`No runs found on the environment ${target.environment} of ${target.project}.\n`);
      return ExitCode.ok;
    }
    if (isHumanFormat(format)) {
      ctx.stderr.write(
        `Runs on the environment ${ctx.style.bold(target.environment)} of ${target.project}:\n`,
      );
    }
    ctx.stdout.write(
      renderList(runs, runColumns, {
        format,
        columns,
        header: !options.boolean("no-header"),
        json: (r) => r,
      }),
    );
    if (isHumanFormat(format)) {
      // As Upsun's activity:list says it: a full page may not be all there is.
      if (cursor) {
        ctx.stderr.write(
          `\nMore runs may be available: raise --limit above ${limit}, or set --start to the oldest date shown.\n`,
        );
      }
      ctx.stderr.write(`\nTo see a run's log, use: ${ctx.style.green("runops run:log <id>")}\n`);
      ctx.stderr.write(`To see all of a run's fields, use: ${ctx.style.green("runops run:get <id>")}\n`);
    }
    return ExitCode.ok;
  },
};

export default command;

/** The server checks dates (the API's schema): its refusal, in terms of the options given. */
function invalidDate(error: unknown, start: string | undefined, since: string | undefined): unknown {
  if (!(error instanceof ApiError) || error.code !== "invalid_request" || !Array.isArray(error.details)) {
    return error;
  }
  const fields = error.details.map((issue: unknown) =>
    typeof issue === "object" && issue !== null && "path" in issue && Array.isArray(issue.path)
      ? issue.path[0]
      : undefined,
  );
  const [option, value] = fields.includes("before")
    ? ["--start", start]
    : fields.includes("since")
      ? ["--since", since]
      : [];
  if (!option) return error;
  return new UsageError(
    `invalid ${option} "${value}": expected an ISO date or time`,
    "e.g. 2026-03-15, 2026-03-15T12:00:00Z or 2026-03-15T12:00:00+01:00",
  );
}
