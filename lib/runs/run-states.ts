/**
 * A run's states and results, without zod: the CLI's `--help` and the browser use them too
 * (lib/runs/run-model.ts has their schemas).
 */
export const RUN_STATES = ["pending", "in_progress", "complete", "cancelled"] as const;
export const RUN_RESULTS = ["success", "failure"] as const;

/** A run in one of these states has ended: nothing will run or change any more. */
export const isTerminal = (state: string) => state === "complete" || state === "cancelled";
