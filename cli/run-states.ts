/** A run's states and results, as the API names them. */
export const runStates = ["pending", "in_progress", "complete", "cancelled"] as const;
export const runResults = ["success", "failure"] as const;
