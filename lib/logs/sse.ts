import type { LiveLogEvent } from "./live-log";

const encoder = new TextEncoder();

/**
 * A live chunk is one object shared by every viewer of the run: encode its
 * event once and hand the same bytes to all of them (100 viewers must not
 * mean 100 JSON encodings of every megabyte).
 */
const encoded = new WeakMap<object, Uint8Array>();
export function encodeLogEvent<View>(event: LiveLogEvent<View>): Uint8Array {
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
