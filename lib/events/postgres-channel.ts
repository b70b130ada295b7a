import pg from "pg";
import { postgresTarget } from "../db/url";
import {
  type ChannelListener,
  type RunEvent,
  type RunEventChannel,
  Subscribers,
  runEventSchema,
} from "./run-events";

const RECONNECT_MS = 1000;

/**
 * The channel on PostgreSQL: LISTEN/NOTIFY on one connection of its own. The
 * channel name carries the schema, so installations (and test databases)
 * sharing a server do not hear each other.
 */
export class PostgresChannel implements RunEventChannel {
  private subscribers = new Subscribers();
  private listener: pg.Client | null = null;
  private sender: pg.Pool;
  private closed = false;
  private retry: NodeJS.Timeout | null = null;
  private readonly name: string;
  private readonly connectionString: string;
  private readonly options: string | undefined;

  constructor(url: string) {
    const { connectionString, schema } = postgresTarget(url);
    this.connectionString = connectionString;
    this.options = schema ? `-c search_path=${schema}` : undefined;
    this.name = `runops_run_events${schema ? `_${schema}` : ""}`.toLowerCase().replace(/[^a-z0-9_]/g, "_");
    this.sender = new pg.Pool({ connectionString, max: 1, options: this.options });
    this.sender.on("error", () => undefined);
    void this.listen();
  }

  publish(event: RunEvent) {
    // NOTIFY reaches this process's own LISTEN connection too.
    this.sender
      .query("SELECT pg_notify($1, $2)", [this.name, JSON.stringify(event)])
      .catch((error: unknown) => console.error("[runops events] NOTIFY failed", error));
  }

  subscribe = (listener: ChannelListener) => this.subscribers.add(listener);

  async close() {
    this.closed = true;
    if (this.retry) clearTimeout(this.retry);
    await this.listener?.end().catch(() => undefined);
    await this.sender.end().catch(() => undefined);
  }

  private async listen() {
    if (this.closed) return;
    const client = new pg.Client({ connectionString: this.connectionString, options: this.options });
    this.listener = client;
    const again = () => {
      if (this.listener !== client) return;
      this.listener = null;
      void client.end().catch(() => undefined);
      if (!this.closed) this.retry = setTimeout(() => void this.listen(), RECONNECT_MS);
    };
    client.on("error", again);
    client.on("end", again);
    client.on("notification", (message) => {
      if (message.channel !== this.name || !message.payload) return;
      try {
        const parsed = runEventSchema.safeParse(JSON.parse(message.payload));
        if (parsed.success) this.subscribers.deliver(parsed.data);
      } catch {
        // not ours
      }
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${this.name}`);
      this.subscribers.deliver({ type: "resync" });
    } catch {
      again();
    }
  }
}
