/**
 * A listener on the run event channel: on SQLite the console's hub (a Unix socket, since the
 * worker split), which relays every event to every connection; on PostgreSQL a LISTEN of the
 * benchmark's own on the channel's NOTIFY name. Either way it sees when the console published
 * `created`, when the worker announced `started` (claimed) and each `output` (stored up to seq N),
 * and `ended` — wall-clock times in ms with sub-millisecond resolution, on the same clock as the
 * server's timestamps. It only reads: one more small line written per event by the hub (one more
 * listener of the NOTIFY on PostgreSQL) is all it costs the server.
 */
import net from "node:net";
import pg from "pg";

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

/** What both probes share: the times seen per run. */
export abstract class RunEventsListener {
  private times = new Map<string, RunEventTimes>();
  abstract connected: Promise<void>;
  abstract close(): void;

  protected record(line: string, at: number) {
    let event: { type?: string; runId?: string; seq?: number };
    try {
      event = JSON.parse(line) as typeof event;
    } catch {
      return;
    }
    if (!event.runId) return;
    const t = this.times.get(event.runId) ?? {};
    this.times.set(event.runId, t);
    if (event.type === "created") t.created ??= at;
    else if (event.type === "started") t.started ??= at;
    else if (event.type === "output" && t.firstOutput === undefined) {
      t.firstOutput = at;
      t.firstOutputSeq = event.seq;
    } else if (event.type === "ended") t.ended ??= at;
  }

  /** What was seen of a run (and forgets it). */
  take(runId: string): RunEventTimes {
    const t = this.times.get(runId) ?? {};
    this.times.delete(runId);
    return t;
  }
}

/** On the console's hub socket (SQLite set-up). */
export class RunEventsProbe extends RunEventsListener {
  private socket: net.Socket;
  private rest = "";
  connected: Promise<void>;

  constructor(socketPath: string) {
    super();
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
      for (const line of lines) if (line) this.record(line, at);
    });
    this.socket.on("error", () => this.socket.destroy());
  }

  close() {
    this.socket.destroy();
  }
}

/**
 * LISTEN on the PostgreSQL set-up's channel. Its name is lib/events/postgres-channel.ts's
 * (`runops_run_events`, plus `_<schema>` for a URL with `?schema=`), repeated here so that the
 * probe needs nothing of the measured copy.
 */
export class PgRunEventsProbe extends RunEventsListener {
  private client: pg.Client;
  connected: Promise<void>;

  constructor(databaseUrl: string) {
    super();
    const url = new URL(databaseUrl);
    const schema = url.searchParams.get("schema");
    url.searchParams.delete("schema");
    const name = `runops_run_events${schema ? `_${schema}` : ""}`.toLowerCase().replace(/[^a-z0-9_]/g, "_");
    this.client = new pg.Client({ connectionString: url.toString() });
    this.client.on("notification", (message) => {
      const at = wallNow();
      if (message.channel === name && message.payload) this.record(message.payload, at);
    });
    this.client.on("error", () => undefined);
    this.connected = this.client.connect().then(async () => {
      await this.client.query(`LISTEN ${name}`);
    });
  }

  close() {
    void this.client.end().catch(() => undefined);
  }
}
