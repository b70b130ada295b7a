import type { LiveLogEvent } from "./live-log";

const encoder = new TextEncoder();

/** Server-Sent Events of a live log. Each chunk's sequence number is its event id. */
export function sseStream(
  events: AsyncGenerator<LiveLogEvent>,
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
        controller.enqueue(encoder.encode(formatEvent(next.value)));
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

export function formatEvent(event: LiveLogEvent): string {
  if (event.type === "end") return `event: end\ndata: ${JSON.stringify(event.end)}\n\n`;
  const { seq, stream, data, at } = event.chunk;
  const payload = JSON.stringify({ stream, text: data.toString("utf8"), at: at.toISOString() });
  return `id: ${seq}\nevent: chunk\ndata: ${payload}\n\n`;
}
