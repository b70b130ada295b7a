import { z } from "zod";
import { runResultSchema, runStateSchema } from "./run-model";

/** A run as the API and the console show it (JSON-safe). */
export const runViewSchema = z.object({
  id: z.string(),
  project: z.string().describe("project slug"),
  environment: z.string().describe("environment name"),
  environmentId: z.string(),
  app: z.string(),
  worker: z.string().nullable(),
  operation: z.string(),
  role: z.string(),
  command: z.string(),
  state: runStateSchema,
  result: runResultSchema.nullable(),
  exitCode: z.number().int().nullable(),
  signal: z.string().nullable(),
  reason: z.string().nullable(),
  source: z.string(),
  triggeredBy: z.object({ id: z.string(), name: z.string(), email: z.string() }),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  cancelRequested: z.boolean(),
  executedBy: z.string().nullable().describe("the worker that claimed the run: name (pid on host)"),
  pool: z.string().describe("only workers of this pool run it"),
  target: z.string().describe('where it runs: "local", or user@host:port of an SSH target'),
  logBytes: z.number(),
  logTruncated: z.boolean(),
  canCancel: z.boolean().optional(),
  url: z.string().optional().describe("the run's page in the console"),
  repeatOf: z.string().nullable().describe("the id of the run this one repeats (Run again), or null"),
});
export type RunView = z.infer<typeof runViewSchema>;

type RunRow = {
  id: string;
  environmentId: string;
  app: string;
  worker: string | null;
  operation: string;
  role: string;
  command: string;
  state: string;
  result: string | null;
  exitCode: number | null;
  signal: string | null;
  reason: string | null;
  source: string;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  cancelRequestedAt: Date | null;
  workerLabel: string | null;
  pool: string;
  targetKind: string;
  targetHost: string | null;
  logBytes: bigint;
  logTruncated: boolean;
  repeatOfId: string | null;
  triggeredBy: { id: string; name: string; email: string };
  environment: { name: string; project: { slug: string } };
};

/** The JSON of a run; `baseUrl` (the console's origin) adds its page's URL. */
export function toRunView(run: RunRow, options: { canCancel?: boolean; baseUrl?: string } = {}): RunView {
  const { canCancel, baseUrl } = options;
  return {
    id: run.id,
    project: run.environment.project.slug,
    environment: run.environment.name,
    environmentId: run.environmentId,
    app: run.app,
    worker: run.worker,
    operation: run.operation,
    role: run.role,
    command: run.command,
    state: runStateSchema.parse(run.state),
    result: run.result === null ? null : runResultSchema.parse(run.result),
    exitCode: run.exitCode,
    signal: run.signal,
    reason: run.reason,
    source: run.source,
    triggeredBy: run.triggeredBy,
    createdAt: run.createdAt.toISOString(),
    startedAt: run.startedAt?.toISOString() ?? null,
    finishedAt: run.finishedAt?.toISOString() ?? null,
    cancelRequested: run.cancelRequestedAt !== null,
    executedBy: run.workerLabel,
    pool: run.pool,
    target: run.targetKind === "ssh" ? (run.targetHost ?? "ssh") : "local",
    logBytes: Number(run.logBytes),
    logTruncated: run.logTruncated,
    ...(canCancel === undefined ? {} : { canCancel }),
    ...(baseUrl === undefined ? {} : { url: `${baseUrl}/runs/${run.id}` }),
    repeatOf: run.repeatOfId,
  };
}
