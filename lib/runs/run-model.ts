import { z } from "zod";

export const RUN_STATES = ["pending", "in_progress", "complete", "cancelled"] as const;
export const runStateSchema = z.enum(RUN_STATES);
export type RunState = z.infer<typeof runStateSchema>;

export const RUN_RESULTS = ["success", "failure"] as const;
export const runResultSchema = z.enum(RUN_RESULTS);
export type RunResult = z.infer<typeof runResultSchema>;

export const isTerminal = (state: string) => state === "complete" || state === "cancelled";

/** Runs with the same key run one after another, in creation order. */
export function queueKey(environmentId: string, app: string, worker: string | null, operation: string) {
  return JSON.stringify([environmentId, app, worker ?? "", operation]);
}
