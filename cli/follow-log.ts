import type { z } from "zod";
import { logChunkEventSchema, logEndEventSchema } from "../lib/api/schemas.ts";
import { ApiError, CliError, ExitCode, InterruptedError, UnreachableError } from "./errors.ts";
import { SseParser, readSse } from "./sse.ts";
import { parseWith, safeJson } from "./validate.ts";

/** `event: end` data: how the run ended. */
export type LogEnd = z.infer<typeof logEndEventSchema>;

/** `event: chunk` data, with the event's id: the chunk's sequence number. */
export interface LogChunk extends z.infer<typeof logChunkEventSchema> {
  seq: number;
}

/** Where the log comes from: ApiClient in real use, a fake in unit tests. */
export interface LogSource {
  openLog(runId: string, after: number, signal: AbortSignal): Promise<ReadableStream<Uint8Array>>;
}

export interface FollowOptions {
  /** Start after this sequence number (0: from the beginning). */
  after?: number;
  onChunk(chunk: LogChunk): void;
  /** Told each time the connection is lost and about to be re-opened. */
  onReconnect?(reason: string, after: number): void;
  /** Ctrl-C: stop following (the run goes on). */
  signal?: AbortSignal;
  /** Silence after which the connection counts as dead; the server sends a keep-alive every 15 s. */
  stallMs?: number;
  /** Give up after this long without managing to reconnect. */
  giveUpMs?: number;
  /** First wait before reconnecting, doubled on each failure up to maxDelayMs (the server's `retry:` wins). */
  delayMs?: number;
  maxDelayMs?: number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

class StallError extends Error {
  constructor() {
    super("no data from the server");
    this.name = "StallError";
  }
}

/** Thrown by onChunk (say, stdout closed): not a network problem, so never retried. */
class ConsumerError extends Error {
  constructor(cause: unknown) {
    super("the log consumer failed", { cause });
    this.name = "ConsumerError";
  }
}

/**
 * Follows a run's log until its `end` event. When the connection drops (or
 * goes silent), it reconnects with Last-Event-ID set to the last chunk it
 * delivered, so nothing is lost; chunks at or below that number are dropped,
 * so nothing is repeated even if a server resends. Errors the server answers
 * with (401, 403, 404) end it; network failures are retried until giveUpMs
 * passes without a successful connection.
 */
export async function followLog(source: LogSource, runId: string, options: FollowOptions): Promise<LogEnd> {
  const stallMs = options.stallMs ?? 45_000;
  const giveUpMs = options.giveUpMs ?? 60_000;
  const maxDelayMs = options.maxDelayMs ?? 5_000;
  const sleep = options.sleep ?? abortableSleep;
  let last = options.after ?? 0;
  let delay = options.delayMs ?? 250;
  let failingSince: number | undefined;
  let serverRetryMs: number | undefined;

  for (;;) {
    if (options.signal?.aborted) throw new InterruptedError();
    const attempt = new AbortController();
    const onAbort = () => attempt.abort(new InterruptedError());
    options.signal?.addEventListener("abort", onAbort, { once: true });
    let watchdog: NodeJS.Timeout | undefined;
    const arm = () => {
      clearTimeout(watchdog);
      watchdog = setTimeout(() => attempt.abort(new StallError()), stallMs);
    };
    let lostReason: string;
    let connectedAt: number | undefined;
    let lastFailure: UnreachableError | undefined;
    const lastBefore = last;
    try {
      arm();
      const body = await source.openLog(runId, last, attempt.signal);
      connectedAt = Date.now();
      const parser = new SseParser();
      for await (const event of readSse(body, parser, arm, attempt.signal)) {
        if (parser.retryMs !== undefined) serverRetryMs = parser.retryMs;
        if (event.event === "chunk") {
          const seq = Number(event.id);
          if (!Number.isInteger(seq)) {
            throw new CliError(`log event without a sequence number (id: ${event.id})`, ExitCode.server);
          }
          if (seq <= last) continue;
          const chunk = { seq, ...parseWith(logChunkEventSchema, safeJson(event.data), "log chunk") };
          try {
            options.onChunk(chunk);
          } catch (error) {
            throw new ConsumerError(error);
          }
          last = seq;
          delay = options.delayMs ?? 250;
        } else if (event.event === "end") {
          return parseWith(logEndEventSchema, safeJson(event.data), "end of log");
        }
      }
      if (attempt.signal.aborted) throw attempt.signal.reason;
      lostReason = "the server closed the stream";
    } catch (error) {
      const reason: unknown = attempt.signal.aborted ? attempt.signal.reason : error;
      if (reason instanceof InterruptedError) throw reason;
      if (reason instanceof ConsumerError) throw reason.cause;
      if (reason instanceof StallError) {
        lostReason = reason.message;
      } else if (reason instanceof ApiError) {
        // 502/503/504 come from proxies while the server restarts: worth retrying.
        if (![502, 503, 504].includes(reason.status)) throw reason;
        lostReason = `HTTP ${reason.status}`;
      } else if (reason instanceof UnreachableError) {
        lostReason = reason.reason;
        lastFailure = reason;
      } else if (reason instanceof CliError) {
        throw reason;
      } else {
        // The body broke mid-way (undici's "terminated", ECONNRESET): a dropped connection.
        lostReason = reason instanceof Error ? reason.message : String(reason);
      }
    } finally {
      clearTimeout(watchdog);
      options.signal?.removeEventListener("abort", onAbort);
    }
    // Progress resets the give-up clock: a chunk arrived, or the connection
    // held a while (a silent run behind a proxy that cuts idle connections).
    const progressed = last > lastBefore || (connectedAt !== undefined && Date.now() - connectedAt >= 5_000);
    if (progressed) {
      failingSince = undefined;
    } else {
      failingSince ??= Date.now();
      if (Date.now() - failingSince > giveUpMs) {
        throw lastFailure ?? new UnreachableError(`lost the connection to runops: ${lostReason}`, lostReason);
      }
    }
    options.onReconnect?.(lostReason, last);
    await sleep(Math.min(serverRetryMs ?? delay, maxDelayMs), options.signal);
    delay = Math.min(delay * 2, maxDelayMs);
  }
}

function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new InterruptedError());
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(new InterruptedError());
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
