import { z } from "zod";

/**
 * The run event channel: how the console and the workers tell each other that
 * something happened to a run. Events carry ids and sequence numbers only,
 * never log text: the database is the source of truth, an event only says
 * "look now". A lost event costs latency, never data (every reader also has a
 * slow safety poll).
 */
export const runEventSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("created"), runId: z.string(), environmentId: z.string() }),
  z.object({
    type: z.literal("started"),
    runId: z.string(),
    environmentId: z.string(),
    workerId: z.string(),
  }),
  z.object({ type: z.literal("cancel-requested"), runId: z.string(), environmentId: z.string() }),
  /** Output of the run is stored up to sequence number `seq`. */
  z.object({ type: z.literal("output"), runId: z.string(), seq: z.number().int().nonnegative() }),
  z.object({ type: z.literal("ended"), runId: z.string(), environmentId: z.string() }),
]);
export type RunEvent = z.infer<typeof runEventSchema>;

/**
 * What a subscriber receives: the events, plus `resync` when the channel
 * (re)connected and events may have been missed meanwhile.
 */
export type ChannelMessage = RunEvent | { type: "resync" };
export type ChannelListener = (message: ChannelMessage) => void;

export interface RunEventChannel {
  /** Delivered to every subscriber of every process on the channel, this one included. */
  publish(event: RunEvent): void;
  subscribe(listener: ChannelListener): () => void;
  close(): Promise<void>;
}

/** Subscribers of one process; the channels deliver through it. */
export class Subscribers {
  private listeners = new Set<ChannelListener>();

  add(listener: ChannelListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  deliver(message: ChannelMessage) {
    for (const listener of [...this.listeners]) {
      try {
        listener(message);
      } catch (error) {
        // One broken subscriber must not keep the event from the others.
        console.error("[runops events] a subscriber failed", error);
      }
    }
  }
}
