import type { ApiClient, Run } from "../api-client.ts";
import { choose } from "../chooser.ts";
import { whyNotAsked } from "../prompt.ts";
import type { CommandDef, Context, Options } from "../command.ts";
import { CliError, ExitCode, UsageError } from "../errors.ts";
import { activeRuns, describeRun, serviceOf, where } from "../run-selection.ts";
import { PROJECT_OPTIONS, resolveTarget } from "../target.ts";

const command: CommandDef = {
  description: [
    "Cancels a run. A pending run ends at once. A running one runs its",
    "operation's `commands.stop` first (when it has one), then gets SIGTERM, then",
    "SIGKILL after a grace period. The run's log records each step.",
    "Whoever may run the operation may cancel its runs.",
    "",
    "Without ID on a terminal, choose from the environment's active runs (pending",
    "or in progress, newest first; -p/-e choose the environment). Without ID and",
    "without a terminal (or with -n), it is an error listing them: runops never",
    "cancels a run nobody named.",
  ].join("\n"),
  args: [{ name: "ID", description: "The run's id (default: choose from the active runs)" }],
  options: { ...PROJECT_OPTIONS },
  examples: [
    {
      description: "Cancel a run, then watch it stop",
      command: "runops run:cancel 01JZ8Q4K0000000000000000 && runops run:log 01JZ8Q4K0000000000000000",
    },
    {
      description: "Choose which of the active runs to cancel",
      command: "runops run:cancel -p shop -e staging",
    },
  ],
  async run(ctx, { args, options }) {
    const client = await ctx.client();
    const id = args[0] ?? (await chooseRun(ctx, client, options)).id;
    const run = await client.cancelRun(id);
    const what = `${run.operation} on ${serviceOf(run)}`;
    if (run.state === "cancelled") {
      ctx.stderr.write(`Run ${run.id} (${what}) is cancelled.\n`);
    } else {
      ctx.stderr.write(
        `Cancelling run ${run.id} (${what}): it stops shortly.\n` +
          `Watch it end: ${ctx.style.green(`runops run:log ${run.id}`)}\n`,
      );
    }
    return ExitCode.ok;
  },
};

export default command;

async function chooseRun(ctx: Context, client: ApiClient, options: Options): Promise<Run> {
  const target = await resolveTarget(ctx, client, options);
  const runs = await activeRuns(client, target);
  if (runs.length === 0) {
    throw new CliError(`no active runs to cancel on ${where(target)}`, ExitCode.notFound);
  }
  if (runs.every((r) => r.canCancel === false)) {
    throw new CliError(`you may not cancel any of the active runs on ${where(target)}`, ExitCode.permission);
  }
  if (!ctx.interactive) {
    throw new UsageError(
      `missing the run ID (${whyNotAsked(ctx, "choose one")})`,
      `active runs: ${runs.map((r) => `${r.id} (${r.operation} on ${serviceOf(r)})`).join(", ")}`,
    );
  }
  const index = await choose(
    ctx,
    `Choose a run to cancel on ${where(target)}:`,
    runs.map((r) => ({
      label: `${r.id}  ${describeRun(r)}`,
      disabledReason: r.canCancel === false ? "you may not cancel it" : null,
    })),
    ctx.style,
  );
  const chosen = runs[index];
  if (!chosen) throw new Error("chooser returned an index out of range");
  return chosen;
}
