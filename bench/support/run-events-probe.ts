/**
 * A listener on the console's run event hub (the Unix socket of the SQLite set-up, since the
 * worker split): the console relays every event to every connection, so a connection of the
 * benchmark's own sees when the console published `created`, when the worker announced `started`
 * (claimed) and each `output` (stored up to seq N), and `ended` — wall-clock times in ms with
 * sub-millisecond resolution, on the same clock as the server's timestamps. It only reads: one
 * more small line written per event by the hub is all it costs the server.
 */
import net from "node:net";

export interface RunEventTimes {
  created?: number;
  started?: number;
  /** The first `output` event (the first stored batch), and its seq. */
  firstOutput?: number;
  firstOutputSeq?: number;
  ended?: number;
}

/** Wall clock with sub-ms resolution. */
export const wallNow = () => performance.timeOrigin + performance.now();

export class RunEventsProbe {
  private times = new Map<string, RunEventTimes>();
  private socket: net.Socket;
  private rest = "";
  connected: Promise<void>;

  constructor(socketPath: string) {
    this.socket = net.connect(socketPath);
    this.connected = new Promise((resolve, reject) => {
      this.socket.once("connect", () => resolve());
      this.socket.once("error", reject);
    });
    this.socket.setEncoding("utf8");
    this.socket.on("data", (text: string) => {
      const at = wallNow();
      const lines = (this.rest + text).split("\n");
      this.rest = lines.pop() ?? "";
      for (const line of lines) {
        if (!line) continue;
        let event: { type?: string; runId?: string; seq?: number };
        try {
          event = JSON.parse(line) as typeof event;
        } catch {
          continue;
        }
        if (!event.runId) continue;
        const t = this.times.get(event.runId) ?? {};
        this.times.set(event.runId, t);
        if (event.type === "created") t.created ??= at;
        else if (event.type === "started") t.started ??= at;
        else if (event.type === "output" && t.firstOutput === undefined) {
          t.firstOutput = at;
          t.firstOutputSeq = event.seq;
        } else if (event.type === "ended") t.ended ??= at;
      }
    });
    this.socket.on("error", () => this.socket.destroy());
  }

  /** What was seen of a run (and forgets it). */
  take(runId: string): RunEventTimes {
    const t = this.times.get(runId) ?? {};
    this.times.delete(runId);
    return t;
  }

  close() {
    this.socket.destroy();
  }
}
