import type { ApiClient, Run } from "../api-client.ts";
import type { CommandDef, Context } from "../command.ts";
import { ExitCode, InterruptedError, UsageError } from "../errors.ts";
import { TimestampPrefixer } from "../format/timestamps.ts";
import { describeRun, hasEnded, runById } from "../run-selection.ts";
import { PROJECT_OPTIONS } from "../target.ts";
import { watchRun } from "../watch-run.ts";

const command: CommandDef = {
  description: [
    "Prints a run's log to stdout: every byte the command printed, stdout and",
    "stderr interleaved as they came, with runops' own `[runops]` lines. Without",
    "ID, the environment's latest run (-p/-e choose the environment).",
    "",
    "A run still going is followed, as Upsun's activity:log does: its log streams",
    "live until the run ends, then the outcome is printed on stderr and the exit",
    "code is the run's (0 only for a run that succeeded). --no-follow prints the",
    "log stored so far and exits 0. --follow streams and reports the outcome even",
    "for a run that already ended; without it, a run that ended exits 0.",
  ].join("\n"),
  args: [{ name: "ID", description: "The run's id (default: the environment's latest run)" }],
  options: {
    ...PROJECT_OPTIONS,
    follow: {
      type: "boolean",
      short: "f",
      description: "Stream the log and report the outcome, even for a run that ended",
    },
    "no-follow": { type: "boolean", description: "Print the log stored so far, even for a run still going" },
    timestamps: {
      type: "boolean",
      short: "t",
      description: "Put the time each line was printed in front of it",
    },
  },
  examples: [
    {
      description: "The latest run's log, followed while it runs",
      command: "runops run:log -p shop -e staging",
    },
    { description: "A run's log, with times", command: "runops run:log 01JZ8Q4K0000000000000000 -t" },
    {
      description: "Its log so far, without waiting",
      command: "runops run:log 01JZ8Q4K0000000000000000 --no-follow > run.log",
    },
  ],
  async run(ctx, { args, options }) {
    const follow = options.boolean("follow");
    const noFollow = options.boolean("no-follow");
    if (follow && noFollow) throw new UsageError("--follow and --no-follow contradict each other: give one");
    const client = await ctx.client();
    const run = await runById(ctx, client, args[0], options);
    const timestamps = options.boolean("timestamps");
    ctx.stderr.write(ctx.style.dim(`Run ${run.id}: ${describeRun(run)}\n`));
    if (follow || (!noFollow && !hasEnded(run))) {
      return watchRun(ctx, client, run.id, { split: false, timestamps });
    }

    if (timestamps) await printWithTimestamps(ctx, client, run);
    else {
      const reader = (await client.downloadLog(run.id)).getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        ctx.stdout.write(value);
      }
    }
    if (!hasEnded(run)) {
      ctx.stderr.write(
        ctx.style.dim(
          `Run ${run.id} is still ${run.state.replace("_", " ")}: this is its log so far (without --no-follow it is streamed)\n`,
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
  if (!hasEnded(run) && run.logBytes === 0) return;
  const prefixer = new TimestampPrefixer();
  const enough = new AbortController();
  let received = 0;
  try {
    await client.follow(run.id, {
      signal: enough.signal,
      onChunk(chunk) {
        ctx.stdout.write(prefixer.transform(chunk.text, chunk.at));
        received += Buffer.byteLength(chunk.text);
        if (!hasEnded(run) && received >= run.logBytes) enough.abort();
      },
    });
  } catch (error) {
    if (!(error instanceof InterruptedError && enough.signal.aborted)) throw error;
  }
}
