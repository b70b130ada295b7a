/**
 * A Server-Sent Events reader for a fetch body, following the WHATWG
 * "event stream interpretation" rules that matter here: lines end with LF, CR
 * or CRLF (even when split across reads), `data:` lines join with LF, an event
 * is dispatched only at a blank line (so one cut off mid-way by a dropped
 * connection is never seen), comments (`:`) are skipped, and the id is the
 * last `id:` seen (kept across events, as EventSource does).
 */

export interface SseEvent {
  /** The event type; "message" when the event has no `event:` line. */
  event: string;
  data: string;
  /** The last event id seen so far (what a reconnect sends as Last-Event-ID). */
  id: string | undefined;
}

export class SseParser {
  private pending = "";
  /** The previous read ended with CR: an LF at the start of the next one belongs to that line break. */
  private skipLeadingLf = false;
  private started = false;
  private eventType = "";
  private dataLines: string[] = [];
  private lastEventId: string | undefined;
  /** The server's `retry:` advice in milliseconds, if it gave one. */
  retryMs: number | undefined;

  /** Feeds decoded text; returns the events completed by it, in order. */
  push(text: string): SseEvent[] {
    if (!this.started && text.length > 0) {
      this.started = true;
      if (text.startsWith("\uFEFF")) text = text.slice(1);
    }
    if (this.skipLeadingLf && text.startsWith("\n")) text = text.slice(1);
    if (text.length > 0) this.skipLeadingLf = false;

    const events: SseEvent[] = [];
    let input = this.pending + text;
    for (;;) {
      const match = /\r\n|\r|\n/.exec(input);
      if (!match) break;
      // A CR at the very end may be the first half of a CRLF that the next read completes.
      if (match[0] === "\r" && match.index === input.length - 1) {
        this.skipLeadingLf = true;
      }
      const line = input.slice(0, match.index);
      input = input.slice(match.index + match[0].length);
      const event = this.line(line);
      if (event) events.push(event);
    }
    this.pending = input;
    return events;
  }

  private line(line: string): SseEvent | undefined {
    if (line === "") return this.dispatch();
    if (line.startsWith(":")) return undefined;
    const colon = line.indexOf(":");
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? "" : line.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    switch (field) {
      case "event":
        this.eventType = value;
        break;
      case "data":
        this.dataLines.push(value);
        break;
      case "id":
        if (!value.includes("\0")) this.lastEventId = value;
        break;
      case "retry":
        if (/^\d+$/.test(value)) this.retryMs = Number(value);
        break;
      default:
      // Unknown fields are ignored, as the standard says.
    }
    return undefined;
  }

  private dispatch(): SseEvent | undefined {
    const type = this.eventType;
    const lines = this.dataLines;
    this.eventType = "";
    this.dataLines = [];
    if (lines.length === 0) return undefined;
    return { event: type || "message", data: lines.join("\n"), id: this.lastEventId };
  }
}

/**
 * The events of a byte stream, decoded as UTF-8 across read boundaries.
 * `onBytes` is called on every read, comments included (keep-alives prove
 * the connection is alive). On `signal`'s abort the events just stop.
 */
export async function* readSse(
  body: ReadableStream<Uint8Array>,
  parser = new SseParser(),
  onBytes?: () => void,
  signal?: AbortSignal,
): AsyncGenerator<SseEvent> {
  const decoder = new TextDecoder("utf-8");
  const reader = body.getReader();
  // Ends a pending read on abort even if the body does not watch the signal itself.
  const onAbort = () => void reader.cancel(signal?.reason).catch(() => undefined);
  signal?.addEventListener("abort", onAbort, { once: true });
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      onBytes?.();
      yield* parser.push(decoder.decode(value, { stream: true }));
    }
    // Whatever is left is an unfinished event, which the standard discards.
    parser.push(decoder.decode());
  } finally {
    signal?.removeEventListener("abort", onAbort);
    // Stops the download when the consumer leaves early (or the read failed).
    await reader.cancel().catch(() => undefined);
    reader.releaseLock();
  }
}
