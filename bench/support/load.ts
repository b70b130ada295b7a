/**
 * Load generation for the concurrency benchmarks (P9): one timed request with its outcome (never
 * thrown, so that errors are counted, not fatal), and readings of the servers' CPU time and TCP
 * connections from /proc.
 */
import { readFileSync } from "node:fs";
import { type Agent, request } from "node:http";

export interface Outcome {
  /** performance.now() before the request was sent. */
  at: number;
  ms: number;
  /** 0 when there was no answer. */
  status: number;
  bytes: number;
  /** The socket error or timeout, when there was no answer. */
  error?: string;
  /** The answer's body, when asked for (`keepBody`). */
  body?: Buffer;
}

export interface TimedRequest {
  agent: Agent;
  method: string;
  url: string;
  token: string;
  body?: unknown;
  /** No answer within this long: counted as an error ("timeout"). */
  timeoutMs: number;
  keepBody?: boolean;
}

/** Sends one request and reads the whole answer; resolves with what happened, errors included. */
export function timedRequest(r: TimedRequest): Promise<Outcome> {
  const payload = r.body === undefined ? undefined : Buffer.from(JSON.stringify(r.body));
  const at = performance.now();
  return new Promise((resolve) => {
    let settled = false;
    const done = (o: Omit<Outcome, "at" | "ms">) => {
      if (settled) return;
      settled = true;
      resolve({ at, ms: performance.now() - at, ...o });
    };
    const req = request(
      r.url,
      {
        method: r.method,
        agent: r.agent,
        headers: {
          authorization: `Bearer ${r.token}`,
          accept: "application/json",
          ...(payload ? { "content-type": "application/json", "content-length": payload.length } : {}),
        },
      },
      (res) => {
        let bytes = 0;
        const parts: Buffer[] = [];
        res.on("data", (d: Buffer) => {
          bytes += d.length;
          if (r.keepBody) parts.push(d);
        });
        res.on("end", () =>
          done({
            status: res.statusCode ?? 0,
            bytes,
            ...(r.keepBody ? { body: Buffer.concat(parts) } : {}),
          }),
        );
        res.on("error", (e) => done({ status: 0, bytes, error: e.message }));
      },
    );
    req.setTimeout(r.timeoutMs, () => {
      done({ status: 0, bytes: 0, error: "timeout" });
      req.destroy();
    });
    req.on("error", (e: NodeJS.ErrnoException) => done({ status: 0, bytes: 0, error: e.code ?? e.message }));
    req.end(payload);
  });
}

/** CPU time (user + system) of a process so far, in ms; null when it is gone. */
export function cpuMs(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return ((Number(f[11]) + Number(f[12])) * 1000) / 100; // USER_HZ is 100 on Linux
  } catch {
    return null;
  }
}

/** Established TCP connections whose local end is 127.0.0.1:`port` (the server's side). */
export function establishedTo(port: number): number {
  const hex = port.toString(16).toUpperCase().padStart(4, "0");
  try {
    return readFileSync("/proc/net/tcp", "utf8")
      .split("\n")
      .slice(1)
      .filter((line) => {
        const f = line.trim().split(/\s+/);
        return f[1] === `0100007F:${hex}` && f[3] === "01";
      }).length;
  } catch {
    return 0;
  }
}

/**
 * The event loop's thread (its tid is the pid) from /proc/<pid>/task/<pid>/schedstat: ms on a CPU
 * and ms runnable but waiting for one (the machine's other work). With the loop's utilization this
 * tells a loop busy computing from one starved of CPU (waiting) or blocked in a call (neither).
 */
export function mainThreadSchedMs(pid: number): { onCpu: number; waiting: number } | null {
  try {
    const [run, wait] = readFileSync(`/proc/${pid}/task/${pid}/schedstat`, "utf8").split(" ").map(Number);
    return { onCpu: (run ?? 0) / 1e6, waiting: (wait ?? 0) / 1e6 };
  } catch {
    return null;
  }
}

export interface ServerSockets {
  /** Connections completed by the kernel, waiting in the listen queue for the server's accept(). */
  acceptQueue: number;
  established: number;
  /** Established server-side sockets with request bytes the server has not read yet. */
  unread: number;
}

/**
 * The server's side of its TCP sockets on 127.0.0.1:`port`, from /proc/net/tcp: a LISTEN line's
 * rx_queue is its accept queue's length, an established socket's rx_queue the bytes not read.
 */
export function serverSockets(port: number): ServerSockets {
  const local = `0100007F:${port.toString(16).toUpperCase().padStart(4, "0")}`;
  const out: ServerSockets = { acceptQueue: 0, established: 0, unread: 0 };
  try {
    for (const line of readFileSync("/proc/net/tcp", "utf8").split("\n").slice(1)) {
      const f = line.trim().split(/\s+/);
      if (f[1] !== local) continue;
      const rx = parseInt(f[4]?.split(":")[1] ?? "0", 16);
      if (f[3] === "0A") out.acceptQueue += rx;
      else if (f[3] === "01") {
        out.established++;
        if (rx > 0) out.unread++;
      }
    }
  } catch {
    // no /proc/net/tcp
  }
  return out;
}
