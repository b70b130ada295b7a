import { MemoryChannel } from "./memory-channel";
import type { RunEventChannel } from "./run-events";

const key = Symbol.for("runops.runEvents");
type WithChannel = typeof globalThis & { [key]?: RunEventChannel };

/**
 * This process's run event channel. The console and `runops worker` install
 * the one between processes at start-up (`installRunEvents`); until then, and in
 * tests that keep everything in one process, it is an in-memory channel.
 * Kept on globalThis: Next.js may load this module in several bundles.
 */
export function runEvents(): RunEventChannel {
  const g = globalThis as WithChannel;
  g[key] ??= new MemoryChannel();
  return g[key];
}

export function installRunEvents(channel: RunEventChannel) {
  (globalThis as WithChannel)[key] = channel;
}
