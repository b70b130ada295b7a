import type { LogChunk, LogStream } from "./types";
import { type ChunkStore, FencedError } from "./chunk-store";
import { completeUtf8Length } from "./utf8-boundary";

/** Reads closer together than this are one chunk (fewer rows and events under a flood). */
const COALESCE_MS = 4;
/** Largest chunk formed by joining reads. */
const MAX_CHUNK_BYTES = 1024 * 1024;
/** Largest batch stored in one transaction (what piles up while one is written). */
const MAX_BATCH_BYTES = 8 * 1024 * 1024;

export type LogWriterOptions = {
  /** A chunk waits at most this long before its batch is written. */
  flushMs: number;
  /** A batch this big is written at once. */
  flushBytes: number;
  /** Output kept per run; the rest is counted and discarded. */
  capBytes: number;
  /** Unwritten bytes above which `write` asks the producer to pause. */
  bufferBytes: number;
  /** The worker holding the run: batches are stored only while it still does (fencing). */
  holder: string | null;
};

/**
 * Turns a run's output into numbered chunks: published live at once, stored
 * in batches bounded by time and size (never a write per line), in order,
 * up to the per-run cap. A read after a quiet moment becomes a chunk at once
 * (a person sees it immediately); reads that follow each other within a few
 * milliseconds on the same stream are joined (a flood makes few, big chunks).
 */
export class RunLogWriter {
  private seq: number;
  private pending: LogChunk[] = [];
  private pendingBytes = 0;
  private keptBytes = 0;
  private lines = 0;
  private droppedBytes = 0;
  private truncated = false;
  private carry: Record<"stdout" | "stderr", Buffer | null> = { stdout: null, stderr: null };
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> | null = null;
  private drainWaiters: Array<() => void> = [];
  private failure: unknown = null;
  private open: { stream: "stdout" | "stderr"; parts: Buffer[]; bytes: number } | null = null;
  private openTimer: NodeJS.Timeout | null = null;
  private lastChunkAt = 0;
  /** When the last batch was stored (performance.now()). */
  private lastStoreAt = -Infinity;
  /** The run was taken from this writer's worker: nothing more is stored. */
  fenced = false;

  constructor(
    private readonly chunks: ChunkStore,
    /** Told the last sequence number stored, after each batch (the run event channel). */
    private readonly announce: (seq: number) => void,
    private readonly runId: string,
    private readonly opts: LogWriterOptions,
    startSeq = 0,
  ) {
    this.seq = startSeq;
  }

  /** Returns false when the producer should pause until `onDrain` fires. */
  write(stream: "stdout" | "stderr", data: Buffer): boolean {
    if (this.fenced) return true;
    const prev = this.carry[stream];
    const all = prev ? Buffer.concat([prev, data]) : data;
    const cut = completeUtf8Length(all);
    this.carry[stream] = cut < all.length ? all.subarray(cut) : null;
    if (cut > 0) this.keep(stream, all.subarray(0, cut));
    return this.pendingBytes < this.opts.bufferBytes;
  }

  /** A line of runops' own (cancel requested, timeout, truncation). */
  system(text: string) {
    if (this.fenced) return;
    this.closeOpen();
    this.append("system", Buffer.from(`[runops] ${text}\n`));
  }

  onDrain(callback: () => void) {
    if (this.pendingBytes < this.opts.bufferBytes) callback();
    else this.drainWaiters.push(callback);
  }

  /** Writes everything still held; resolves when all of it is stored. */
  async close(): Promise<void> {
    for (const stream of ["stdout", "stderr"] as const) {
      const rest = this.carry[stream];
      this.carry[stream] = null;
      if (rest) this.keep(stream, rest);
    }
    this.closeOpen();
    if (this.droppedBytes > 0)
      this.system(`${this.droppedBytes} bytes of output past the log limit were discarded`);
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    while (!this.fenced && (this.pending.length > 0 || this.flushing)) {
      this.kick();
      await this.flushing;
      if (this.failure) throw this.failure;
    }
    await this.chunks.finish(this.runId);
  }

  private keep(stream: "stdout" | "stderr", data: Buffer) {
    if (this.truncated) {
      this.droppedBytes += data.length;
      return;
    }
    const room = this.opts.capBytes - this.keptBytes;
    if (data.length <= room) {
      this.keptBytes += data.length;
      this.collect(stream, data);
      return;
    }
    const head = data.subarray(0, completeUtf8Length(data.subarray(0, room)));
    this.keptBytes += head.length;
    this.droppedBytes += data.length - head.length;
    if (head.length > 0) this.collect(stream, head);
    this.truncated = true;
    this.system(`log limit of ${this.opts.capBytes} bytes reached: further output is not kept`);
  }

  private collect(stream: "stdout" | "stderr", data: Buffer) {
    if (this.open && (this.open.stream !== stream || this.open.bytes + data.length > MAX_CHUNK_BYTES)) {
      this.closeOpen();
    }
    this.open ??= { stream, parts: [], bytes: 0 };
    this.open.parts.push(data);
    this.open.bytes += data.length;
    if (performance.now() - this.lastChunkAt >= COALESCE_MS) this.closeOpen();
    else this.openTimer ??= setTimeout(() => this.closeOpen(), COALESCE_MS);
  }

  private closeOpen() {
    if (this.openTimer) clearTimeout(this.openTimer);
    this.openTimer = null;
    const open = this.open;
    if (!open) return;
    this.open = null;
    this.append(open.stream, open.parts.length === 1 ? (open.parts[0] as Buffer) : Buffer.concat(open.parts));
  }

  private append(stream: LogStream, data: Buffer) {
    this.lastChunkAt = performance.now();
    const newlines = countNewlines(data);
    const chunk: LogChunk = {
      seq: ++this.seq,
      stream,
      data,
      at: new Date(),
      lineStart: this.lines,
      newlines,
    };
    this.lines += newlines;
    this.pending.push(chunk);
    this.pendingBytes += data.length;
    if (this.pendingBytes >= this.opts.flushBytes) this.kick();
    else if (!this.timer && !this.flushing) {
      // Viewers see output once it is stored: the first chunk after a quiet batch period is
      // stored at once (what else this tick produced joins it); the rest waits for the clock,
      // so a steady stream still makes at most one write per flushMs.
      const quiet = performance.now() - this.lastStoreAt >= this.opts.flushMs;
      this.timer = setTimeout(() => this.kick(), quiet ? 0 : this.opts.flushMs);
    }
  }

  private kick() {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (!this.flushing) {
      this.flushing = this.flushAll().finally(() => {
        this.flushing = null;
        // Output that arrived during the last write waits for the next tick of the clock.
        if (this.pending.length > 0 && !this.timer) {
          this.timer = setTimeout(() => this.kick(), this.opts.flushMs);
        }
      });
    }
  }

  private async flushAll() {
    while (this.pending.length > 0) {
      const batch = this.takeBatch();
      try {
        await this.store(batch);
        this.lastStoreAt = performance.now();
        this.failure = null;
      } catch (error) {
        if (error instanceof FencedError) {
          this.fence();
          return;
        }
        // Keep the batch and retry: losing output silently is worse than waiting.
        this.pending.unshift(...batch);
        for (const c of batch) this.pendingBytes += c.data.length;
        this.failure = error;
        return;
      }
      const last = batch[batch.length - 1];
      if (last) this.announce(last.seq);
      if (this.pendingBytes < this.opts.bufferBytes) {
        const waiters = this.drainWaiters;
        this.drainWaiters = [];
        for (const w of waiters) w();
      }
      if (this.pendingBytes < this.opts.flushBytes) return;
    }
  }

  private fence() {
    this.fenced = true;
    this.pending = [];
    this.pendingBytes = 0;
    this.failure = null;
    const waiters = this.drainWaiters;
    this.drainWaiters = [];
    for (const w of waiters) w();
  }

  private takeBatch(): LogChunk[] {
    // Bound one transaction's size even when the buffer is full; under a flood it is big, as each
    // commit costs a WAL flush on PostgreSQL (P2-pg: 256 commits of 1 MiB took 1.8× a COPY).
    let bytes = 0;
    let n = 0;
    while (
      n < this.pending.length &&
      (n === 0 || bytes < Math.max(this.opts.flushBytes * 4, MAX_BATCH_BYTES))
    ) {
      bytes += this.pending[n]?.data.length ?? 0;
      n++;
    }
    this.pendingBytes -= bytes;
    return this.pending.splice(0, n);
  }

  private async store(batch: LogChunk[]) {
    const last = batch[batch.length - 1];
    if (!last) return;
    let bytes = 0;
    for (const c of batch) bytes += c.data.length;
    await this.chunks.store(this.runId, batch, {
      seq: last.seq,
      bytes,
      lines: last.lineStart + last.newlines,
      truncated: this.truncated,
      holder: this.opts.holder,
    });
  }
}

function countNewlines(data: Buffer): number {
  let n = 0;
  for (let i = data.indexOf(10); i !== -1; i = data.indexOf(10, i + 1)) n++;
  return n;
}
