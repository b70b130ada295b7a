import { z } from "zod";
import { RUN_RESULTS, RUN_STATES } from "./run-states";

export const runStateSchema = z.enum(RUN_STATES);
export type RunState = z.infer<typeof runStateSchema>;

export const runResultSchema = z.enum(RUN_RESULTS);
export type RunResult = z.infer<typeof runResultSchema>;

/** Runs with the same key run one after another, in creation order. */
export function queueKey(environmentId: string, app: string, worker: string | null, operation: string) {
  return JSON.stringify([environmentId, app, worker ?? "", operation]);
}
