import { type RunEvent, type RunEventChannel, Subscribers } from "./run-events";

/** The channel inside one process (tests, or console and worker in one process). */
export class MemoryChannel implements RunEventChannel {
  private subscribers = new Subscribers();

  publish(event: RunEvent) {
    // Asynchronously, as across processes: a publisher never runs subscribers' code inline.
    queueMicrotask(() => this.subscribers.deliver(event));
  }

  subscribe = (listener: Parameters<Subscribers["add"]>[0]) => this.subscribers.add(listener);

  async close() {}
}
