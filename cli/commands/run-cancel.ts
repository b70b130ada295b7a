import type { CommandDef } from "../command.ts";
import { ExitCode } from "../errors.ts";

const command: CommandDef = {
  description: [
    "Cancels a run. A pending run ends at once. A running one runs its",
    "operation's `commands.stop` first (when it has one), then gets SIGTERM, then",
    "SIGKILL after a grace period. The run's log records each step.",
    "Whoever may run the operation may cancel its runs.",
  ].join("\n"),
  args: [{ name: "ID", description: "The run's id", required: true }],
  options: {},
  examples: [
    {
      description: "Cancel a run, then watch it stop",
      command:
        "runops run:cancel 01JZ8Q4K0000000000000000 && runops run:log 01JZ8Q4K0000000000000000 --follow",
    },
  ],
  async run(ctx, { args }) {
    const id = args[0] ?? "";
    const client = await ctx.client();
    const run = await client.cancelRun(id);
    const what = `${run.operation} on ${run.worker ? `${run.app}--${run.worker}` : run.app}`;
    if (run.state === "cancelled") {
      ctx.stderr.write(`Run ${run.id} (${what}) is cancelled.\n`);
    } else {
      ctx.stderr.write(
        `Cancelling run ${run.id} (${what}): it stops shortly.\n` +
          `Watch it end: ${ctx.style.green(`runops run:log ${run.id} --follow`)}\n`,
      );
    }
    return ExitCode.ok;
  },
};

export default command;
