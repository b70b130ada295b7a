/**
 * A run's states and results, for option help and checks that must not load
 * zod (`--help`). The same lists as lib/runs/run-model.ts: a unit test keeps them equal.
 */
export const runStates = ["pending", "in_progress", "complete", "cancelled"] as const;
export const runResults = ["success", "failure"] as const;
