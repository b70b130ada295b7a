import type { LiveLogEvent } from "./live-log";

const encoder = new TextEncoder();

/** Server-Sent Events of a live log. Each chunk's sequence number is its event id. */
export function sseStream<View>(
  events: AsyncGenerator<LiveLogEvent<View>>,
  abort: AbortController,
): ReadableStream<Uint8Array> {
  let keepAlive: NodeJS.Timeout | undefined;
  return new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode("retry: 1000\n\n"));
      // Proxies drop idle connections: a comment every 15 s keeps the stream open.
      keepAlive = setInterval(() => controller.enqueue(encoder.encode(": keep-alive\n\n")), 15000);
    },
    async pull(controller) {
      try {
        const next = await events.next();
        if (next.done) {
          clearInterval(keepAlive);
          controller.close();
          return;
        }
        controller.enqueue(encodeEvent(next.value));
      } catch (error) {
        clearInterval(keepAlive);
        controller.error(error);
      }
    },
    async cancel() {
      clearInterval(keepAlive);
      abort.abort();
      await events.return(undefined);
    },
  });
}

/**
 * A live chunk is one object shared by every viewer of the run: encode its
 * event once and hand the same bytes to all of them (100 viewers must not
 * mean 100 JSON encodings of every megabyte).
 */
const encoded = new WeakMap<object, Uint8Array>();
function encodeEvent<View>(event: LiveLogEvent<View>): Uint8Array {
  if (event.type !== "chunk") return encoder.encode(formatEvent(event));
  let bytes = encoded.get(event.chunk);
  if (!bytes) {
    bytes = encoder.encode(formatEvent(event));
    encoded.set(event.chunk, bytes);
  }
  return bytes;
}

/** `chunk` events carry the sequence number as id; `state` (the run as the API shows it) and `end` carry none. */
export function formatEvent<View>(event: LiveLogEvent<View>): string {
  if (event.type === "end") return `event: end\ndata: ${JSON.stringify(event.end)}\n\n`;
  if (event.type === "state") return `event: state\ndata: ${JSON.stringify(event.view)}\n\n`;
  const { seq, stream, data, at } = event.chunk;
  const payload = JSON.stringify({ stream, text: data.toString("utf8"), at: at.toISOString() });
  return `id: ${seq}\nevent: chunk\ndata: ${payload}\n\n`;
}
