import { AppError } from "../errors";

/**
 * How many API reads run at once. The console is one event loop: with 200
 * clients listing runs, one turn of it ran every ready request (200 × ~7 ms)
 * and Node accepts one new connection per turn, so a trigger on a new
 * connection waited ~20 s to be read at all (docs/benchmarks.md, P9). Reads
 * beyond this many wait in line, in order, before any of their work starts,
 * each let in on a later turn; writes never wait here, so a flood of reads
 * delays a trigger by a few reads' worth of work.
 */
export const CONCURRENT_READS = 2;
/** Reads that may wait; past it the API answers 503 with Retry-After rather than pile up. */
export const WAITING_READS = 5000;

export class Admission {
  private running = 0;
  private waiting: Array<() => void> = [];

  constructor(
    private readonly limit: number,
    private readonly maxWaiting: number,
  ) {}

  /** Runs `work` once a slot is free (the slot is held until it settles). */
  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.running >= this.limit) {
      if (this.waiting.length >= this.maxWaiting) {
        throw new AppError(503, "busy", "The console is busy: retry in a moment", undefined, {
          "retry-after": "1",
        });
      }
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else this.running++;
    try {
      return await work();
    } finally {
      const next = this.waiting.shift();
      // The slot passes to the next in line, or frees up. The next one starts in a later turn of
      // the event loop, not in this one: between them Node accepts new connections (one per turn
      // since libuv 1.45) and reads new requests, so a trigger is not stuck behind the line.
      if (next) setImmediate(next);
      else this.running--;
    }
  }
}

const key = Symbol.for("runops.readAdmission");
type WithAdmission = typeof globalThis & { [key]?: Admission };

/** The console process's admission of API reads. */
export function readAdmission(): Admission {
  const g = globalThis as WithAdmission;
  g[key] ??= new Admission(CONCURRENT_READS, WAITING_READS);
  return g[key];
}
