/**
 * A small HTTP client for the runops API with a bearer token, over node:http with keep-alive
 * (the least client overhead for latency measurements), and a Server-Sent Events reader.
 */
import { Agent, type IncomingMessage, request } from "node:http";
import type { RunView } from "../../lib/runs/run-view";
import { waitFor } from "./proc";

export type { RunView };

export interface HttpResult {
  status: number;
  headers: IncomingMessage["headers"];
  body: Buffer;
}

export class Api {
  readonly agent = new Agent({ keepAlive: true, maxSockets: Infinity });

  constructor(
    readonly baseUrl: string,
    readonly token: string,
  ) {}

  close() {
    this.agent.destroy();
  }

  /**
   * One request; the whole answer body in memory. A request on a reused keep-alive socket that
   * the server closed meanwhile (ECONNRESET / "socket hang up" before any answer) never reached
   * the route: it is sent again once, as Node's documentation recommends.
   */
  async send(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<HttpResult> {
    try {
      return await this.sendOnce(method, path, body, headers);
    } catch (error) {
      if ((error as { staleSocket?: boolean }).staleSocket) return this.sendOnce(method, path, body, headers);
      throw error;
    }
  }

  private sendOnce(
    method: string,
    path: string,
    body: unknown,
    headers: Record<string, string>,
  ): Promise<HttpResult> {
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    return new Promise((resolve, reject) => {
      const req = request(
        `${this.baseUrl}${path}`,
        {
          method,
          agent: this.agent,
          headers: {
            authorization: `Bearer ${this.token}`,
            accept: "application/json",
            ...(payload ? { "content-type": "application/json", "content-length": payload.length } : {}),
            ...headers,
          },
        },
        (res) => {
          const parts: Buffer[] = [];
          res.on("data", (d: Buffer) => parts.push(d));
          res.on("end", () =>
            resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(parts) }),
          );
          res.on("error", reject);
        },
      );
      req.on("error", (error: NodeJS.ErrnoException) => {
        const stale = req.reusedSocket && (error.code === "ECONNRESET" || error.message === "socket hang up");
        reject(Object.assign(error, { staleSocket: stale }));
      });
      req.end(payload);
    });
  }

  async json<T>(method: string, path: string, body?: unknown, expect = 200): Promise<T> {
    const res = await this.send(method, path, body);
    if (res.status !== expect) {
      throw new Error(
        `${method} ${path}: expected ${expect}, got ${res.status}: ${res.body.toString().slice(0, 500)}`,
      );
    }
    return JSON.parse(res.body.toString()) as T;
  }

  /** POST …/runs: the 202's run. */
  trigger(project: string, environment: string, operation: string): Promise<RunView> {
    return this.json<RunView>(
      "POST",
      `/api/v1/projects/${project}/environments/${environment}/runs`,
      { operation },
      202,
    );
  }

  run(id: string): Promise<RunView> {
    return this.json<RunView>("GET", `/api/v1/runs/${id}`);
  }

  /** Polls the run until it ended (each poll is one light GET). */
  waitForEnd(id: string, { everyMs = 200, timeoutMs = 10 * 60_000 } = {}): Promise<RunView> {
    return waitFor(
      `run ${id} to end`,
      async () => {
        const run = await this.run(id);
        return run.state === "complete" || run.state === "cancelled" ? run : undefined;
      },
      { everyMs, timeoutMs },
    );
  }

  /** GET the log with Accept: text/plain, handing each piece of the body to `onData`. */
  downloadLog(id: string, onData: (data: Buffer) => void): Promise<void> {
    return new Promise((resolve, reject) => {
      const req = request(
        `${this.baseUrl}/api/v1/runs/${id}/log`,
        { agent: this.agent, headers: { authorization: `Bearer ${this.token}`, accept: "text/plain" } },
        (res) => {
          if (res.statusCode !== 200) {
            res.resume();
            reject(new Error(`GET log of ${id} as text: status ${res.statusCode}`));
            return;
          }
          res.on("data", onData);
          res.on("end", resolve);
          res.on("error", reject);
        },
      );
      req.on("error", reject);
      req.end();
    });
  }

  /** Opens the run's live log (SSE). `onBlock` gets each raw event block (without its blank line). */
  sse(id: string, onBlock: (block: Buffer) => void, options: { lastEventId?: number } = {}): SseConnection {
    return new SseConnection(this, id, onBlock, options.lastEventId);
  }
}

/** One SSE client: raw event blocks, split on the blank line that ends each event. */
export class SseConnection {
  /** performance.now() when the response headers arrived. */
  headersAt = 0;
  readonly done: Promise<void>;
  private req: ReturnType<typeof request>;
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private pendingEndsWithNewline = false;
  private closedByUs = false;

  constructor(api: Api, id: string, onBlock: (block: Buffer) => void, lastEventId?: number) {
    let settle!: { resolve: () => void; reject: (e: Error) => void };
    this.done = new Promise<void>((resolve, reject) => (settle = { resolve, reject }));
    this.req = request(
      `${api.baseUrl}/api/v1/runs/${id}/log`,
      {
        // A connection of its own, as each viewer (a browser, the CLI) has: a pooled keep-alive
        // socket may have been closed by the server meanwhile (ECONNRESET before any event).
        agent: false,
        headers: {
          authorization: `Bearer ${api.token}`,
          accept: "text/event-stream",
          ...(lastEventId !== undefined ? { "last-event-id": String(lastEventId) } : {}),
        },
      },
      (res) => {
        this.headersAt = performance.now();
        if (res.statusCode !== 200) {
          res.resume();
          settle.reject(new Error(`GET log of ${id} (SSE): status ${res.statusCode}`));
          return;
        }
        res.on("data", (data: Buffer) => this.push(data, onBlock));
        res.on("end", () => settle.resolve());
        res.on("error", (e) => (this.closedByUs ? settle.resolve() : settle.reject(e)));
        res.on("close", () => settle.resolve());
      },
    );
    this.req.on("error", (e) => (this.closedByUs ? settle.resolve() : settle.reject(e)));
    this.req.end();
  }

  close() {
    this.closedByUs = true;
    this.req.destroy();
  }

  /**
   * Splits the byte stream into event blocks. An event can span many socket reads (a 1 MiB chunk
   * is ~17 reads of 64 KiB): its pieces are kept in a list and joined once, so the client's cost
   * stays linear in the bytes received (re-joining on every read would be quadratic and would make
   * the client, not the server, the bottleneck).
   */
  private push(data: Buffer, onBlock: (block: Buffer) => void) {
    let pos = 0;
    if (this.pendingBytes > 0 && this.pendingEndsWithNewline && data[0] === 0x0a) {
      // The blank line is split across two reads: "\n" ended the previous one, "\n" starts this one.
      const block = Buffer.concat(this.pending, this.pendingBytes);
      this.pending = [];
      this.pendingBytes = 0;
      onBlock(block.subarray(0, block.length - 1));
      pos = 1;
    }
    while (pos < data.length) {
      const end = data.indexOf("\n\n", pos);
      if (end < 0) {
        const rest = Buffer.from(data.subarray(pos)); // a copy: the read buffer is not ours to keep
        this.pending.push(rest);
        this.pendingBytes += rest.length;
        this.pendingEndsWithNewline = rest[rest.length - 1] === 0x0a;
        return;
      }
      const piece = data.subarray(pos, end);
      if (this.pendingBytes > 0) {
        this.pending.push(piece);
        const block = Buffer.concat(this.pending, this.pendingBytes + piece.length);
        this.pending = [];
        this.pendingBytes = 0;
        onBlock(block);
      } else {
        onBlock(piece);
      }
      pos = end + 2;
    }
  }
}

export interface SseEvent {
  event: string;
  id: string | null;
  data: string;
}

/** Parses one raw block; null for a comment-only block (keep-alive) or a bare `retry:`. */
export function parseEvent(block: Buffer): SseEvent | null {
  let event = "message";
  let id: string | null = null;
  const data: string[] = [];
  for (const line of block.toString("utf8").split("\n")) {
    if (line === "" || line.startsWith(":")) continue;
    const colon = line.indexOf(":");
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? "" : line.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    if (field === "event") event = value;
    else if (field === "id") id = value;
    else if (field === "data") data.push(value);
  }
  if (data.length === 0 && id === null) return null;
  return { event, id, data: data.join("\n") };
}

/** A comment block (`: keep-alive`) or the `retry:` preamble: not an event a viewer shows. */
export function isNoise(block: Buffer): boolean {
  return block[0] === 0x3a /* ":" */ || block.subarray(0, 6).toString() === "retry:";
}

/** Whether a raw block is a `state` event (the run's state; since the worker split). */
export function isStateEvent(block: Buffer): boolean {
  return /(^|\n)event: ?state(\n|$)/.test(block.subarray(0, 64).toString("latin1"));
}

/** Whether a raw block is the final `end` event. */
export function isEndEvent(block: Buffer): boolean {
  return /(^|\n)event: ?end(\n|$)/.test(block.subarray(0, 64).toString("latin1"));
}

/** A chunk event's decoded text (the bytes the command printed, as UTF-8). */
export function chunkText(event: SseEvent): string {
  return (JSON.parse(event.data) as { text: string }).text;
}
