/** Linux /proc helpers: process trees, resident memory, free ports, polling. */
import { readFileSync, readdirSync } from "node:fs";
import { createServer } from "node:net";

/** Parent pid of `pid`, or null when it is gone. */
function parentOf(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // pid (comm) state ppid …: comm may contain spaces and parentheses.
    const rest = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return Number(rest[1]);
  } catch {
    return null;
  }
}

/** Every live descendant of `root` (children first-level first). */
export function descendants(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    const pid = Number(name);
    const ppid = parentOf(pid);
    if (ppid === null) continue;
    const list = children.get(ppid) ?? [];
    list.push(pid);
    children.set(ppid, list);
  }
  const out: number[] = [];
  const queue = [root];
  while (queue.length > 0) {
    const pid = queue.shift() as number;
    for (const child of children.get(pid) ?? []) {
      out.push(child);
      queue.push(child);
    }
  }
  return out;
}

export function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").join(" ").trim();
  } catch {
    return "";
  }
}

/** Resident set size in bytes (VmRSS), or null when the process is gone. */
export function rssBytes(pid: number): number | null {
  try {
    const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return match ? Number(match[1]) * 1024 : null;
  } catch {
    return null;
  }
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // already gone
  }
}

/**
 * Samples a process's RSS every `everyMs` until stopped; keeps max and all samples. `pid` may be a
 * function: it is asked again when the process is gone (a worker that was restarted), and the
 * pids seen are kept. A null pid (no such process, e.g. no worker) samples nothing.
 */
export class RssSampler {
  readonly samples: number[] = [];
  readonly pids: number[] = [];
  private timer: NodeJS.Timeout;
  private current: number | null;
  constructor(
    private readonly pid: number | null | (() => number | null),
    everyMs = 100,
  ) {
    this.current = typeof pid === "function" ? pid() : pid;
    if (this.current !== null) this.pids.push(this.current);
    this.sample();
    this.timer = setInterval(() => this.sample(), everyMs);
  }
  private sample() {
    if (this.current === null) return;
    let rss = rssBytes(this.current);
    if (rss === null && typeof this.pid === "function") {
      const next = this.pid();
      if (next !== null && next !== this.current) {
        this.current = next;
        this.pids.push(next);
        rss = rssBytes(next);
      }
    }
    if (rss !== null) this.samples.push(rss);
  }
  /** max and last are null when nothing was sampled (no such process). */
  stop(): { max: number | null; last: number | null; samples: number[]; pids: number[] } {
    clearInterval(this.timer);
    this.sample();
    return {
      max: this.samples.length > 0 ? Math.max(...this.samples) : null,
      last: this.samples[this.samples.length - 1] ?? null,
      samples: this.samples,
      pids: this.pids,
    };
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Polls `check` every `everyMs` until it returns something other than undefined/false. */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined | false> | T | undefined | false,
  { timeoutMs = 60_000, everyMs = 20 }: { timeoutMs?: number; everyMs?: number } = {},
): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
