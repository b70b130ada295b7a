import { chmodSync, unlinkSync } from "node:fs";
import net from "node:net";
import {
  type ChannelListener,
  type RunEvent,
  type RunEventChannel,
  Subscribers,
  runEventSchema,
} from "./run-events";

const RECONNECT_MS = 500;

/**
 * The channel between the processes of one host on SQLite (the embedded
 * set-up): newline-delimited JSON over a Unix socket in the data directory
 * (mode 0700, so commands, which run as another user, cannot reach it).
 *
 * The console is the hub: it listens and relays every event to every other
 * connection. Workers connect to it and reconnect when it restarts; after
 * each (re)connection they get `resync`, because events sent meanwhile were
 * lost. A process that finds a live hub on the path joins it as a client.
 */
export class SocketChannel implements RunEventChannel {
  private subscribers = new Subscribers();
  private server: net.Server | null = null;
  private peers = new Set<net.Socket>();
  private client: net.Socket | null = null;
  private closed = false;
  private retry: NodeJS.Timeout | null = null;

  private constructor(private readonly path: string) {}

  /** The console's side: serve the hub (or join one that is already there). */
  static async serve(path: string): Promise<SocketChannel> {
    const channel = new SocketChannel(path);
    if (await canConnect(path)) channel.connect();
    else await channel.listen();
    return channel;
  }

  /** A worker's side: connect, and keep reconnecting while the hub is away. */
  static join(path: string): SocketChannel {
    const channel = new SocketChannel(path);
    channel.connect();
    return channel;
  }

  publish(event: RunEvent) {
    const line = `${JSON.stringify(event)}\n`;
    for (const peer of this.peers) peer.write(line);
    // A socket still connecting queues the write; with none (the hub is away) the event is lost,
    // and the `resync` after reconnecting makes up for it.
    this.client?.write(line);
    queueMicrotask(() => this.subscribers.deliver(event));
  }

  subscribe = (listener: ChannelListener) => this.subscribers.add(listener);

  async close() {
    this.closed = true;
    if (this.retry) clearTimeout(this.retry);
    this.client?.destroy();
    for (const peer of this.peers) peer.destroy();
    if (this.server) {
      const server = this.server;
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  }

  private async listen() {
    try {
      unlinkSync(this.path); // a stale socket of a process that is gone
    } catch {
      // none
    }
    const server = net.createServer((peer) => {
      this.peers.add(peer);
      readLines(peer, (event) => {
        const line = `${JSON.stringify(event)}\n`;
        for (const other of this.peers) if (other !== peer) other.write(line);
        this.subscribers.deliver(event);
      });
      peer.on("error", () => peer.destroy());
      peer.on("close", () => this.peers.delete(peer));
    });
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(this.path, () => resolve());
    });
    chmodSync(this.path, 0o600);
    this.server = server;
  }

  private connect() {
    if (this.closed) return;
    const socket = net.connect(this.path);
    this.client = socket;
    socket.on("connect", () => this.subscribers.deliver({ type: "resync" }));
    readLines(socket, (event) => this.subscribers.deliver(event));
    socket.on("error", () => socket.destroy());
    socket.on("close", () => {
      if (this.client === socket) this.client = null;
      if (!this.closed) this.retry = setTimeout(() => this.connect(), RECONNECT_MS);
    });
  }
}

function readLines(socket: net.Socket, onEvent: (event: RunEvent) => void) {
  let rest = "";
  socket.setEncoding("utf8");
  socket.on("data", (text: string) => {
    const lines = (rest + text).split("\n");
    rest = lines.pop() ?? "";
    for (const line of lines) {
      if (!line) continue;
      try {
        const parsed = runEventSchema.safeParse(JSON.parse(line));
        if (parsed.success) onEvent(parsed.data);
      } catch {
        // Not JSON: ignore the line, keep the connection.
      }
    }
  });
}

function canConnect(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.connect(path);
    probe.once("connect", () => {
      probe.destroy();
      resolve(true);
    });
    probe.once("error", () => resolve(false));
  });
}
