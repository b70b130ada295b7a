import pino from "pino";
import { serverEnv } from "../env";

/**
 * Structured logs of runops' own processes: JSON lines on stdout, one object
 * per event, with `runId` / `workerId` fields where they apply, so that a log
 * collector can follow one run across the console and its worker.
 */
export function createLogger(component: "console" | "worker", level: string = serverEnv().RUNOPS_LOG_LEVEL) {
  return pino({ name: `runops-${component}`, level, base: { component, pid: process.pid } });
}

export type Logger = ReturnType<typeof createLogger>;
