import { z } from "zod";
import { runResultSchema } from "../runs/run-model";
import { runSchema } from "./resources";

/** Where a piece of output came from: the command's two pipes, or runops itself (cut, leftovers). */
export const logStreamSchema = z.enum(["stdout", "stderr", "system"]);

export const logLineSchema = z
  .object({
    n: z.number().int().min(1).describe("1-based line number"),
    text: z.string().describe("the line without its newline; ANSI escape codes kept"),
    stream: logStreamSchema.describe("stream of the chunk the line starts in"),
    at: z.iso.datetime().describe("when the chunk the line starts in was read"),
  })
  .meta({ id: "LogLine" });

/** GET /runs/{id}/lines */
export const linesResponse = z
  .object({
    total: z.number().int().min(0).describe("lines in the log as stored up to `seq`"),
    seq: z
      .number()
      .int()
      .min(0)
      .describe("the last chunk this answer includes: follow the live log after it"),
    partial: z.boolean().describe("the log's last line has no newline yet"),
    lines: z.array(logLineSchema),
  })
  .meta({ id: "Lines" });

/** GET /runs/{id}/search */
export const searchResponse = z
  .object({
    matches: z.array(z.number().int().min(1)).describe("1-based numbers of the matching lines, in order"),
    truncated: z.boolean().describe("`limit` matches were found: there may be more"),
  })
  .meta({ id: "Search" });

/** `event: chunk` of GET /runs/{id}/log; its SSE `id` is the chunk's sequence number. */
export const logChunkEventSchema = z
  .object({
    stream: logStreamSchema,
    text: z.string().describe("the bytes as UTF-8 (never cut inside a character); ANSI codes kept"),
    at: z.iso.datetime(),
  })
  .meta({ id: "LogChunkEvent" });

/** `event: end` of GET /runs/{id}/log: the last event of the stream. */
export const logEndEventSchema = z
  .object({
    state: z.enum(["complete", "cancelled"]),
    result: runResultSchema.nullable(),
    exitCode: z.number().int().nullable(),
    signal: z.string().nullable(),
    reason: z.string().nullable(),
  })
  .meta({ id: "LogEndEvent" });

/** The events of GET /runs/{id}/log, by SSE event name. `state` carries the run as GET /runs/{id} shows it. */
export const logStreamEvents = {
  chunk: logChunkEventSchema,
  state: runSchema,
  end: logEndEventSchema,
};

/** `event: run` of GET …/runs/events: a run of the environment changed (read it for the rest). */
export const runChangeEventSchema = z
  .object({
    type: z.enum(["created", "started", "cancel-requested", "ended"]),
    runId: z.string(),
  })
  .meta({ id: "RunChangeEvent" });

/** `event: resync` of GET …/runs/events: changes may have been missed, re-read the list. */
export const resyncEventSchema = z.object({ type: z.literal("resync") }).meta({ id: "ResyncEvent" });

/** The events of GET /projects/{project}/environments/{environment}/runs/events, by SSE event name. */
export const runsStreamEvents = { run: runChangeEventSchema, resync: resyncEventSchema };

export type LogLine = z.infer<typeof logLineSchema>;
export type Lines = z.infer<typeof linesResponse>;
export type Search = z.infer<typeof searchResponse>;
export type LogChunkEvent = z.infer<typeof logChunkEventSchema>;
export type LogEndEvent = z.infer<typeof logEndEventSchema>;
export type RunChangeEvent = z.infer<typeof runChangeEventSchema>;
export type ResyncEvent = z.infer<typeof resyncEventSchema>;
