import type { ApiClient, Operation } from "../api-client.ts";
import { choose } from "../chooser.ts";
import type { CommandDef, Context } from "../command.ts";
import { ApiError, CliError, ExitCode, UsageError } from "../errors.ts";
import { confirm, whyNotAsked } from "../prompt.ts";
import { PROJECT_OPTIONS, SERVICE_OPTIONS, type Target, matchesService, resolveTarget } from "../target.ts";
import { watchRun } from "../watch-run.ts";

const command: CommandDef = {
  description: [
    "Starts a runtime operation on the environment, then streams its log live",
    "(the command's stdout to stdout; its stderr and runops' own lines to stderr)",
    "and prints the outcome. If the connection drops, it resumes where it was.",
    "",
    "Without NAME on a terminal, choose the operation from a list; without NAME",
    "and without a terminal, it is an error. When two apps define NAME, say which",
    "with --app (or --worker). It asks for confirmation unless --yes is given or",
    "there is no terminal.",
    "",
    "Exits 0 only when the run completed with success, 1 when it failed or was",
    "cancelled; see docs/cli.md for the other exit codes. Ctrl-C stops following",
    "(the run goes on).",
  ].join("\n"),
  args: [{ name: "NAME", description: "The operation's name" }],
  options: {
    ...PROJECT_OPTIONS,
    ...SERVICE_OPTIONS,
    "no-wait": {
      type: "boolean",
      short: "W",
      description: "Print the run's id and URL and exit without waiting",
    },
    wait: { type: "boolean", description: "Stream the log until the run ends (the default)" },
    yes: { type: "boolean", short: "y", description: "Do not ask for confirmation" },
  },
  examples: [
    {
      description: "Run an operation and watch its log",
      command: "runops operation:run clear-rebuild -p shop -e staging",
    },
    { description: "Pick one from a list", command: "runops operation:run -p shop -e staging" },
    {
      description: "An operation two apps define",
      command: "runops operation:run ping -p shop -e staging --app api",
    },
    {
      description: "In a script: no question, no waiting",
      command: "runops operation:run clear-cache -p shop -e main -y -W",
    },
  ],
  async run(ctx, { args, options }) {
    if (options.boolean("wait") && options.boolean("no-wait")) {
      throw new UsageError("--wait and --no-wait contradict each other: give one");
    }
    const client = await ctx.client();
    const target = await resolveTarget(ctx, client, options);
    const filter = { app: options.string("app"), worker: options.string("worker") };
    const operations = (await client.operations(target.project, target.environment)).filter((o) =>
      matchesService(o, filter),
    );
    const operation = await pickOperation(ctx, target, operations, args[0], filter);
    const where = `${target.project}/${target.environment}`;
    ctx.stderr.write(
      `Running operation ${ctx.style.green(operation.name)} on ${operation.worker ? "worker" : "app"} ${ctx.style.green(
        operation.service,
      )} (${where})\n`,
    );
    // No question for an operation the server will refuse anyway: its 403 says why.
    if (ctx.interactive && !options.boolean("yes") && operation.canRun) {
      if (!(await confirm(ctx, "Are you sure you want to continue?"))) {
        ctx.stderr.write("Nothing was run.\n");
        return ExitCode.interrupted;
      }
    }

    const run = await startRun(client, target, operation);
    if (options.boolean("no-wait")) {
      ctx.stderr.write(`Started run ${run.id} (${run.state.replace("_", " ")}):\n`);
      ctx.stdout.write(`${run.id}\n${run.url}\n`);
      ctx.stderr.write(`Follow its log: ${ctx.style.green(`runops run:log ${run.id}`)}\n`);
      return ExitCode.ok;
    }
    ctx.stderr.write(`Run ${run.id}: ${ctx.style.dim(run.url)}\n`);
    return watchRun(ctx, client, run.id, { split: true });
  },
};

export default command;

async function pickOperation(
  ctx: Context,
  target: Target,
  operations: Operation[],
  name: string | undefined,
  filter: { app?: string; worker?: string },
): Promise<Operation> {
  const where = `the environment ${target.environment} of ${target.project}${
    filter.worker ? `, worker ${filter.worker}` : filter.app ? `, app ${filter.app}` : ""
  }`;
  const listHint = `list them: runops ops -p ${target.project} -e ${target.environment}`;
  if (name === undefined) {
    if (operations.length === 0) throw new CliError(`no runtime operations on ${where}`, ExitCode.notFound);
    if (!ctx.interactive) {
      throw new UsageError(`missing the operation NAME (${whyNotAsked(ctx, "choose one")})`, listHint);
    }
    const sorted = [...operations].sort(
      (a, b) => a.name.localeCompare(b.name, "en", { numeric: true }) || a.service.localeCompare(b.service),
    );
    const index = await choose(
      ctx,
      `Choose an operation to run on ${where}:`,
      sorted.map((o) => ({
        label: `${o.name} (on ${o.service})`,
        disabledReason: o.canRun ? null : (o.reason ?? "not allowed"),
      })),
      ctx.style,
    );
    const chosen = sorted[index];
    if (!chosen) throw new Error("chooser returned an index out of range");
    return chosen;
  }
  const matches = operations.filter((o) => o.name === name);
  const [only] = matches;
  if (!only)
    throw new CliError(
      `the runtime operation ${name} was not found on ${where}`,
      ExitCode.notFound,
      listHint,
    );
  if (matches.length > 1)
    throw ambiguous(
      name,
      matches.map((o) => o.service),
    );
  return only;
}

function ambiguous(name: string, services: string[]): UsageError {
  const first = services[0] ?? "APP";
  return new UsageError(
    `the operation ${name} is defined on more than one app: ${services.join(", ")}`,
    `choose one with --app (e.g. --app ${first.split("--")[0]}), or --worker for a worker's`,
  );
}

async function startRun(client: ApiClient, target: Target, operation: Operation) {
  try {
    return await client.startRun(target.project, target.environment, {
      operation: operation.name,
      app: operation.app,
      ...(operation.worker ? { worker: operation.worker } : {}),
    });
  } catch (error) {
    // The server's own ambiguity check (another client raced a config change, say).
    if (error instanceof ApiError && error.code === "ambiguous_operation") {
      const details = error.details;
      const apps =
        typeof details === "object" && details !== null && "apps" in details ? details.apps : undefined;
      throw ambiguous(operation.name, Array.isArray(apps) ? apps.map(String) : []);
    }
    throw error;
  }
}
