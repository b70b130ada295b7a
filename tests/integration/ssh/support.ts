import { allPids, environValue, isRunning, procInfo } from "../../../lib/executor/proc";
import type { OutputSink } from "../../../lib/executor/types";

export type Recorded = { stream: "stdout" | "stderr" | "system"; data: Buffer; at: number };

/** An OutputSink that keeps everything, in order, with the time each piece came. */
export function recordingSink() {
  const events: Recorded[] = [];
  const waiters: Array<() => void> = [];
  const sink: OutputSink = {
    write(stream, data) {
      events.push({ stream, data: Buffer.from(data), at: Date.now() });
      for (const w of waiters.splice(0)) w();
      return true;
    },
    onDrain: (callback) => callback(),
    system(text) {
      events.push({ stream: "system", data: Buffer.from(`${text}\n`), at: Date.now() });
      for (const w of waiters.splice(0)) w();
    },
  };
  const bytes = (stream: Recorded["stream"]) =>
    Buffer.concat(events.filter((e) => e.stream === stream).map((e) => e.data));
  const text = (stream: Recorded["stream"]) => bytes(stream).toString("utf8");
  /** Resolves once `stream` holds `needle`; rejects after `ms`. */
  const waitForText = (stream: Recorded["stream"], needle: string, ms = 10_000) =>
    new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${JSON.stringify(needle)} on ${stream}`)), ms);
      const check = () => {
        if (text(stream).includes(needle)) {
          clearTimeout(timer);
          resolve();
        } else waiters.push(check);
      };
      check();
    });
  return { sink, events, bytes, text, waitForText };
}

/** Live processes whose environment marks them as the run's (RUNOPS_RUN_ID=runId). */
export function processesOfRun(runId: string): number[] {
  return allPids().filter((pid) => isRunning(procInfo(pid)) && environValue(pid, "RUNOPS_RUN_ID") === runId);
}

/** Polls `check` every 20 ms until it holds; throws after `ms`. */
export async function waitUntil(check: () => boolean, ms: number, what: string) {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
