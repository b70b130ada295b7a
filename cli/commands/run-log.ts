import type { ApiClient, Run } from "../api-client.ts";
import type { CommandDef, Context } from "../command.ts";
import { ExitCode, InterruptedError } from "../errors.ts";
import { TimestampPrefixer } from "../format/timestamps.ts";
import { watchRun } from "../watch-run.ts";

const ended = (run: Run) => run.state === "complete" || run.state === "cancelled";

const command: CommandDef = {
  description: [
    "Prints a run's log to stdout: every byte the command printed, stdout and",
    "stderr interleaved as they came, with runops' own `[runops]` lines.",
    "",
    "With --follow it streams the log live until the run ends, prints the outcome",
    "on stderr and exits like operation:run (0 only for a run that succeeded).",
    "Without it, it prints the log as stored so far and exits 0.",
  ].join("\n"),
  args: [{ name: "ID", description: "The run's id", required: true }],
  options: {
    follow: { type: "boolean", short: "f", description: "Stream the log until the run ends" },
    timestamps: {
      type: "boolean",
      short: "t",
      description: "Put the time each line was printed in front of it",
    },
  },
  examples: [
    { description: "Print a run's log", command: "runops run:log 01JZ8Q4K0000000000000000" },
    {
      description: "Follow it live, with times",
      command: "runops run:log 01JZ8Q4K0000000000000000 --follow -t",
    },
    { description: "Save it to a file", command: "runops run:log 01JZ8Q4K0000000000000000 > run.log" },
  ],
  async run(ctx, { args, options }) {
    const id = args[0] ?? "";
    const client = await ctx.client();
    const run = await client.getRun(id);
    const timestamps = options.boolean("timestamps");
    if (options.boolean("follow")) return watchRun(ctx, client, run.id, { split: false, timestamps });

    if (timestamps) await printWithTimestamps(ctx, client, run);
    else {
      const reader = (await client.downloadLog(run.id)).getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        ctx.stdout.write(value);
      }
    }
    if (!ended(run)) {
      ctx.stderr.write(
        ctx.style.dim(
          `Run ${run.id} is still ${run.state.replace("_", " ")}: this is its log so far (--follow to stream it)\n`,
        ),
      );
    }
    return ExitCode.ok;
  },
};

export default command;

/**
 * Times need each chunk's `at`, which only the event stream carries. For a run
 * still going, the stream never ends by itself: stop once the bytes the run
 * had stored when asked have arrived.
 */
async function printWithTimestamps(ctx: Context, client: ApiClient, run: Run) {
  if (!ended(run) && run.logBytes === 0) return;
  const prefixer = new TimestampPrefixer();
  const enough = new AbortController();
  let received = 0;
  try {
    await client.follow(run.id, {
      signal: enough.signal,
      onChunk(chunk) {
        ctx.stdout.write(prefixer.transform(chunk.text, chunk.at));
        received += Buffer.byteLength(chunk.text);
        if (!ended(run) && received >= run.logBytes) enough.abort();
      },
    });
  } catch (error) {
    if (!(error instanceof InterruptedError && enough.signal.aborted)) throw error;
  }
}
