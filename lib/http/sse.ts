const encoder = new TextEncoder();

/**
 * A Server-Sent Events response body: `encode` turns each event into its
 * bytes; a comment every 15 s keeps proxies from dropping an idle stream;
 * the client closing the stream aborts `abort` and ends the generator.
 */
export function sseStream<T>(
  events: AsyncGenerator<T>,
  abort: AbortController,
  encode: (event: T) => Uint8Array,
): ReadableStream<Uint8Array> {
  let keepAlive: NodeJS.Timeout | undefined;
  return new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode("retry: 1000\n\n"));
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
        controller.enqueue(encode(next.value));
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

/** The response headers of every SSE endpoint (no buffering by proxies). */
export const SSE_HEADERS = {
  "content-type": "text/event-stream; charset=utf-8",
  "cache-control": "no-cache, no-transform",
  connection: "keep-alive",
  "x-accel-buffering": "no",
};

/** An SSE request's abort signal, tied to the client's disconnect. */
export function abortOnDisconnect(req: Request): AbortController {
  const abort = new AbortController();
  req.signal.addEventListener("abort", () => abort.abort());
  return abort;
}
