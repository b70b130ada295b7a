export type LogStream = "stdout" | "stderr" | "system";

/** One piece of a run's output, as stored and as streamed. */
export type LogChunk = { seq: number; stream: LogStream; data: Buffer; at: Date };

/** What a run ended as, carried by the final event of a live log. */
export type RunEnd = {
  state: string;
  result: string | null;
  exitCode: number | null;
  signal: string | null;
  reason: string | null;
};
