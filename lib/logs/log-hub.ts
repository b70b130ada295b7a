import type { Db } from "../db/client";
import { runEvents } from "../events/process-channel";
import type { ChannelMessage, RunEventChannel } from "../events/run-events";
import { readChunks } from "./read-log";
import type { LogChunk } from "./types";

/** A chunk read from storage, or "the run changed: look at its row" (started, cancel, end, resync). */
export type HubEvent = { type: "chunk"; chunk: LogChunk } | { type: "changed" };
type Listener = (event: HubEvent) => void;

type Watched = { listeners: Set<Listener>; readTo: number; target: number; reading: boolean };

/**
 * The console's fan-out of live output. Workers store output and announce
 * "stored up to seq N" on the run event channel; for each run somebody
 * watches, the hub reads the new chunks once and hands them to every viewer
 * of this process (one read, however many viewers).
 */
export class LogHub {
  private runs = new Map<string, Watched>();

  constructor(
    private readonly db: Db,
    channel: RunEventChannel,
  ) {
    channel.subscribe((message) => this.onMessage(message));
  }

  /** `afterSeq`: what the first viewer has read (or is about to read) from storage itself. */
  subscribe(runId: string, afterSeq: number, listener: Listener): () => void {
    let run = this.runs.get(runId);
    if (!run) {
      run = { listeners: new Set(), readTo: afterSeq, target: afterSeq, reading: false };
      this.runs.set(runId, run);
    }
    run.listeners.add(listener);
    const watched = run;
    return () => {
      watched.listeners.delete(listener);
      if (watched.listeners.size === 0 && this.runs.get(runId) === watched) this.runs.delete(runId);
    };
  }

  listenerCount(runId: string): number {
    return this.runs.get(runId)?.listeners.size ?? 0;
  }

  private onMessage(message: ChannelMessage) {
    if (message.type === "resync") {
      for (const run of this.runs.values()) emit(run, { type: "changed" });
      return;
    }
    const run = this.runs.get(message.runId);
    if (!run) return;
    if (message.type === "output") {
      run.target = Math.max(run.target, message.seq);
      void this.pump(message.runId, run);
    } else emit(run, { type: "changed" });
  }

  private async pump(runId: string, run: Watched) {
    if (run.reading) return;
    run.reading = true;
    try {
      while (run.readTo < run.target && run.listeners.size > 0) {
        const page = await readChunks(this.db, runId, run.readTo, 1000);
        if (page.length === 0) break;
        for (const chunk of page) {
          run.readTo = chunk.seq;
          emit(run, { type: "chunk", chunk });
        }
      }
    } catch (error) {
      console.error("[runops] live log read failed", error);
      emit(run, { type: "changed" });
    } finally {
      run.reading = false;
    }
  }
}

function emit(run: Watched, event: HubEvent) {
  for (const listener of [...run.listeners]) listener(event);
}

const key = Symbol.for("runops.logHub");
type WithHub = typeof globalThis & { [key]?: LogHub };

/** The console process's hub, on its run event channel (installed at start-up). */
export function logHub(db: Db): LogHub {
  const g = globalThis as WithHub;
  g[key] ??= new LogHub(db, runEvents());
  return g[key];
}
