import { describe, expect, it } from "vitest";
import { SseParser, readSse } from "../../../cli/sse";

function streamOf(...parts: (string | Uint8Array)[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const part of parts) controller.enqueue(typeof part === "string" ? encoder.encode(part) : part);
      controller.close();
    },
  });
}

async function collect(stream: ReadableStream<Uint8Array>) {
  const events = [];
  for await (const event of readSse(stream)) events.push(event);
  return events;
}

describe("SseParser", () => {
  it("parses id, event and data, and skips comments and retry", () => {
    const p = new SseParser();
    const events = p.push('retry: 1000\n\n: keep-alive\n\nid: 1\nevent: chunk\ndata: {"a":1}\n\n');
    expect(events).toEqual([{ id: "1", event: "chunk", data: '{"a":1}' }]);
    expect(p.retryMs).toBe(1000);
  });

  it("joins data lines with LF, defaults the type to message, keeps the last id", () => {
    const p = new SseParser();
    expect(p.push("id: 7\ndata: a\ndata:b\ndata:  c\n\ndata: next\n\n")).toEqual([
      { id: "7", event: "message", data: "a\nb\n c" },
      { id: "7", event: "message", data: "next" },
    ]);
  });

  it("accepts CRLF and CR line endings, even split between reads", () => {
    const p = new SseParser();
    expect(p.push("data: a\r")).toEqual([]);
    expect(p.push("\n\r")).toEqual([{ id: undefined, event: "message", data: "a" }]);
    expect(p.push("\ndata: b\r\r")).toEqual([{ id: undefined, event: "message", data: "b" }]);
  });

  it("dispatches nothing until the blank line, and nothing for an event without data", () => {
    const p = new SseParser();
    expect(p.push("id: 3\nevent: chunk\ndata: {")).toEqual([]);
    expect(p.push('"x":1}\n')).toEqual([]);
    expect(p.push("\n")).toEqual([{ id: "3", event: "chunk", data: '{"x":1}' }]);
    expect(p.push("event: ping\n\n")).toEqual([]);
  });

  it("ignores an id holding NUL and unknown fields; a field without colon has an empty value", () => {
    const p = new SseParser();
    expect(p.push("id: 1\n\nid: a\0b\nfoo: bar\ndata\n\n")).toEqual([
      { id: "1", event: "message", data: "" },
    ]);
  });

  it("strips a leading byte-order mark", () => {
    expect(new SseParser().push("\uFEFFdata: x\n\n")).toEqual([
      { id: undefined, event: "message", data: "x" },
    ]);
  });
});

describe("readSse", () => {
  it("decodes UTF-8 split across reads", async () => {
    const bytes = new TextEncoder().encode("data: é😀\n\n");
    const events = await collect(streamOf(bytes.slice(0, 7), bytes.slice(7, 9), bytes.slice(9)));
    expect(events).toEqual([{ id: undefined, event: "message", data: "é😀" }]);
  });

  it("drops an event cut off by the end of the stream", async () => {
    const events = await collect(
      streamOf("id: 1\nevent: chunk\ndata: one\n\n", "id: 2\nevent: chunk\ndata: tw"),
    );
    expect(events.map((e) => e.id)).toEqual(["1"]);
  });
});
