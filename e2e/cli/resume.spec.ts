import { type Server, type Socket, connect, createServer } from "node:net";
import { expect, test } from "../fixtures";
import { BASE_URL, CliProcess, EXIT, cliEnv } from "./cli";
import { tokenFor } from "./tokens";

/**
 * A TCP proxy between the CLI and the server that, once, cuts the log stream
 * in the middle of its second chunk event. The CLI must reconnect with
 * Last-Event-ID and print exactly the stored log: nothing lost, nothing twice.
 */
class CuttingProxy {
  readonly server: Server;
  cut = false;
  /** What the CLI sent, to see its reconnection's Last-Event-ID. */
  requests = "";
  private sockets = new Set<Socket>();

  constructor(private readonly upstreamPort: number) {
    this.server = createServer((client) => this.relay(client));
  }

  listen(): Promise<number> {
    return new Promise((resolve) =>
      this.server.listen(0, "127.0.0.1", () => {
        const address = this.server.address();
        resolve(typeof address === "object" && address ? address.port : 0);
      }),
    );
  }

  close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private relay(client: Socket) {
    const upstream = connect(this.upstreamPort, "127.0.0.1");
    this.sockets.add(client).add(upstream);
    client.on("data", (data) => {
      this.requests += data.toString("latin1");
      upstream.write(data);
    });
    // Everything sent to the client on this connection, to find the cut point across reads.
    let sent = "";
    upstream.on("data", (data) => {
      const piece = data.toString("latin1");
      const all = sent + piece;
      const stream = all.search(/content-type: text\/event-stream/i);
      if (!this.cut && stream >= 0) {
        const first = all.indexOf("event: chunk", stream);
        const second = first >= 0 ? all.indexOf("event: chunk", first + 1) : -1;
        if (second >= 0) {
          // Half of the second event's "event:" line: its id line has been sent, its data not.
          const cutAt = second + "event: ch".length;
          if (cutAt > sent.length) client.write(Buffer.from(all.slice(sent.length, cutAt), "latin1"));
          this.cut = true;
          client.destroy();
          upstream.destroy();
          return;
        }
      }
      sent = all;
      client.write(data);
    });
    const end = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on("error", end).on("close", end);
    upstream.on("error", end).on("close", end);
  }
}

test("a log stream cut mid-event resumes with Last-Event-ID: output equals the stored log", async () => {
  const token = await tokenFor("admin@example.com");
  const proxy = new CuttingProxy(Number(new URL(BASE_URL).port));
  const port = await proxy.listen();
  try {
    const cli = new CliProcess(
      ["operation:run", "clear-rebuild", "-p", "shop", "-e", "feature-search", "-y"],
      cliEnv({ token, url: `http://127.0.0.1:${port}` }),
    );
    const { code, stdout, stderr } = await cli.exited;
    expect(code, stderr).toBe(EXIT.ok);
    expect(proxy.cut).toBe(true);
    expect(stderr).toMatch(/connection lost \(.+\); resuming after #1…/);
    expect(proxy.requests).toMatch(/last-event-id: 1\r\n/i);

    const id = /Run (\S+): http/.exec(stderr)?.[1];
    const stored = await fetch(`${BASE_URL}/api/v1/runs/${id}/log`, {
      headers: { authorization: `Bearer ${token}`, accept: "text/plain" },
    });
    const log = await stored.text();
    expect(log).toContain("6 pages written to public/");
    expect(stdout).toBe(log);
  } finally {
    await proxy.close();
  }
});
