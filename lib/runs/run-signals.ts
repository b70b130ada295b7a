import { EventEmitter } from "node:events";

/**
 * In-process nudges between the trigger/cancel paths and the embedded worker.
 * They only make things happen sooner: the worker also polls the database,
 * which is the source of truth (and the path for workers in other processes).
 */
type Signals = { created: []; cancel: [runId: string, reason: string] };

const key = Symbol.for("runops.runSignals");
type WithSignals = typeof globalThis & { [key]?: EventEmitter<Signals> };

export function runSignals(): EventEmitter<Signals> {
  const g = globalThis as WithSignals;
  g[key] ??= new EventEmitter<Signals>().setMaxListeners(0);
  return g[key];
}
