import type { ApiClient } from "./api-client.ts";
import type { Context } from "./command.ts";
import { ExitCode, InterruptedError } from "./errors.ts";
import { TimestampPrefixer } from "./format/timestamps.ts";
import { describeOutcome, exitCodeFor, runDuration } from "./outcome.ts";

export interface WatchOptions {
  /**
   * operation:run: the command's stdout to stdout, its stderr and runops'
   * system lines to stderr. run:log: the whole log to stdout, as stored.
   */
  split: boolean;
  timestamps?: boolean;
}

/**
 * Streams a run's log live until the run ends, then prints its outcome on
 * stderr. Returns 0 only for a run that completed with success; on Ctrl-C it
 * stops following (the run goes on) and says how to get back to it.
 */
export async function watchRun(
  ctx: Context,
  client: ApiClient,
  runId: string,
  options: WatchOptions,
): Promise<number> {
  const signal = ctx.trapInterrupt();
  const prefixer = options.timestamps ? new TimestampPrefixer() : undefined;
  let endsWithNewline = true;
  let announcedDrop = false;
  try {
    const end = await client.follow(runId, {
      signal,
      onChunk(chunk) {
        const text = prefixer ? prefixer.transform(chunk.text, chunk.at) : chunk.text;
        if (text === "") return;
        if (!options.split || chunk.stream === "stdout") ctx.stdout.write(text);
        else ctx.runStderr.write(chunk.stream === "system" ? ctx.style.dim(text) : text);
        endsWithNewline = text.endsWith("\n");
        announcedDrop = false;
      },
      onReconnect(reason, after) {
        // Said once per drop, not once per retry; a server that stays away ends as "cannot reach".
        if (announcedDrop) return;
        announcedDrop = true;
        ctx.stderr.write(
          ctx.style.dim(`[runops CLI] connection lost (${reason}); resuming after #${after}…\n`),
        );
      },
    });
    // The last line the command printed may lack its newline: keep the outcome on a line of its own.
    if (!endsWithNewline && ctx.stderr.isTTY) ctx.stderr.write("\n");
    const run = await client.getRun(runId).catch(() => null);
    ctx.stderr.write(describeOutcome(runId, end, run ? runDuration(run) : null, ctx.style));
    return exitCodeFor(end);
  } catch (error) {
    if (error instanceof InterruptedError) {
      if (!endsWithNewline) ctx.stderr.write("\n");
      ctx.stderr.write(
        `Stopped following run ${runId}; it goes on running.\n` +
          `  follow it again: runops run:log ${runId}\n` +
          `  cancel it:       runops run:cancel ${runId}\n`,
      );
      return ExitCode.interrupted;
    }
    throw error;
  }
}
