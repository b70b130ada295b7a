export type LogStream = "stdout" | "stderr" | "system";

/**
 * One piece of a run's output, as stored and as streamed. `lineStart` is the
 * number of newlines before it in the run's log, `newlines` the number in it.
 */
export type LogChunk = {
  seq: number;
  stream: LogStream;
  data: Buffer;
  at: Date;
  lineStart: number;
  newlines: number;
};

/** What a run ended as, carried by the final event of a live log. */
export type RunEnd = {
  state: string;
  result: string | null;
  exitCode: number | null;
  signal: string | null;
  reason: string | null;
};
