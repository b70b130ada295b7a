/** A run's states and results, for option help and checks that must not load zod (`--help`). */
export { RUN_RESULTS as runResults, RUN_STATES as runStates, isTerminal } from "../lib/runs/run-states.ts";
