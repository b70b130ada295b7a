import { describe, expect, it } from "vitest";
import { ApiError, ExitCode, InterruptedError, UnreachableError } from "../../../cli/errors";
import { type LogChunk, type LogSource, followLog } from "../../../cli/follow-log";

const encoder = new TextEncoder();

const chunk = (seq: number, text: string, stream = "stdout") =>
  `id: ${seq}\nevent: chunk\ndata: ${JSON.stringify({ stream, text, at: "2025-01-01T00:00:00.000Z" })}\n\n`;
const end = (result = "success", exitCode = 0) =>
  `event: end\ndata: ${JSON.stringify({ state: "complete", result, exitCode, signal: null, reason: null })}\n\n`;

/** A body that sends `parts`, then either ends or breaks like a dropped connection. */
function body(parts: string[], breakAfter = false): ReadableStream<Uint8Array> {
  const queue = [...parts];
  return new ReadableStream({
    // One part per read, so the reader sees every part before the break.
    pull(controller) {
      const next = queue.shift();
      if (next !== undefined) controller.enqueue(encoder.encode(next));
      else if (breakAfter) controller.error(new TypeError("terminated"));
      else controller.close();
    },
  });
}

/** Answers each openLog call with the next scripted response, recording the `after` asked for. */
function scripted(...responses: (((after: number) => ReadableStream<Uint8Array>) | Error)[]) {
  const afters: number[] = [];
  const source: LogSource = {
    async openLog(_id, after) {
      afters.push(after);
      const next = responses.shift();
      if (!next) throw new Error("no more responses");
      if (next instanceof Error) throw next;
      return next(after);
    },
  };
  return { source, afters };
}

const fast = { sleep: async () => undefined, delayMs: 0 };

describe("followLog", () => {
  it("delivers chunks in order and returns the end", async () => {
    const { source } = scripted(() => body([chunk(1, "a\n"), chunk(2, "b\n", "stderr"), end()]));
    const got: LogChunk[] = [];
    const result = await followLog(source, "r1", { onChunk: (c) => got.push(c), ...fast });
    expect(got.map((c) => [c.seq, c.stream, c.text])).toEqual([
      [1, "stdout", "a\n"],
      [2, "stderr", "b\n"],
    ]);
    expect(result).toMatchObject({ state: "complete", result: "success", exitCode: 0 });
  });

  it("resumes after the last delivered chunk when the connection drops mid-event, without gap or repeat", async () => {
    const cut = chunk(3, "c\n").slice(0, 20);
    const { source, afters } = scripted(
      () => body([chunk(1, "a\n"), chunk(2, "b\n"), cut], true),
      // A server that resends from earlier than asked must not produce repeats.
      () => body([chunk(2, "b\n"), chunk(3, "c\n"), chunk(4, "d\n"), end("failure", 3)]),
    );
    const text: string[] = [];
    const reconnects: number[] = [];
    const result = await followLog(source, "r1", {
      onChunk: (c) => text.push(c.text),
      onReconnect: (_reason, after) => reconnects.push(after),
      ...fast,
    });
    expect(afters).toEqual([0, 2]);
    expect(reconnects).toEqual([2]);
    expect(text.join("")).toBe("a\nb\nc\nd\n");
    expect(result).toMatchObject({ result: "failure", exitCode: 3 });
  });

  it("reconnects when the stream ends without an end event, and after network failures", async () => {
    const refused = new UnreachableError("cannot reach runops at http://x: ECONNREFUSED", "ECONNREFUSED");
    const { source, afters } = scripted(
      () => body([chunk(1, "a")]),
      refused,
      refused,
      () => body([chunk(2, "b"), end()]),
    );
    const text: string[] = [];
    await followLog(source, "r1", { onChunk: (c) => text.push(c.text), ...fast });
    expect(afters).toEqual([0, 1, 1, 1]);
    expect(text.join("")).toBe("ab");
  });

  it("starts after `after`", async () => {
    const { source, afters } = scripted(() => body([chunk(5, "e"), end()]));
    await followLog(source, "r1", { after: 4, onChunk: () => undefined, ...fast });
    expect(afters).toEqual([4]);
  });

  it("gives up with the network error once reconnecting has failed for giveUpMs", async () => {
    const refused = new UnreachableError("cannot reach runops at http://x: ECONNREFUSED", "ECONNREFUSED");
    const { source } = scripted(refused, refused, refused);
    const attempt = followLog(source, "r1", { onChunk: () => undefined, giveUpMs: -1, ...fast });
    await expect(attempt).rejects.toBe(refused);
  });

  it("does not retry what the server refused (401, 403, 404)", async () => {
    const denied = new ApiError("permission denied: no", ExitCode.permission, 403, "forbidden");
    const { source, afters } = scripted(denied);
    await expect(followLog(source, "r1", { onChunk: () => undefined, ...fast })).rejects.toBe(denied);
    expect(afters).toEqual([0]);
  });

  it("retries a proxy's 502 while the server restarts", async () => {
    const bad = new ApiError("the server failed: bad gateway", ExitCode.server, 502, "bad_gateway");
    const { source, afters } = scripted(bad, () => body([end()]));
    await followLog(source, "r1", { onChunk: () => undefined, ...fast });
    expect(afters).toEqual([0, 0]);
  });

  it("treats a silent connection as dropped (stall watchdog)", async () => {
    const silent = () => new ReadableStream<Uint8Array>({ start() {} });
    const { source, afters } = scripted(silent, () => body([chunk(1, "x"), end()]));
    const text: string[] = [];
    await followLog(source, "r1", { onChunk: (c) => text.push(c.text), stallMs: 20, ...fast });
    expect(afters).toEqual([0, 0]);
    expect(text).toEqual(["x"]);
  });

  it("stops with InterruptedError on abort", async () => {
    const controller = new AbortController();
    const source: LogSource = {
      async openLog(_id, _after, signal) {
        return new ReadableStream<Uint8Array>({
          start(c) {
            c.enqueue(encoder.encode(chunk(1, "x")));
            signal.addEventListener("abort", () => c.error(signal.reason));
          },
        });
      },
    };
    const attempt = followLog(source, "r1", {
      onChunk: () => controller.abort(),
      signal: controller.signal,
      ...fast,
    });
    await expect(attempt).rejects.toBeInstanceOf(InterruptedError);
  });

  it("does not take a failing consumer (closed stdout) for a dropped connection", async () => {
    const { source, afters } = scripted(() => body([chunk(1, "x"), end()]));
    const epipe = Object.assign(new Error("write EPIPE"), { code: "EPIPE" });
    const attempt = followLog(source, "r1", {
      onChunk: () => {
        throw epipe;
      },
      ...fast,
    });
    await expect(attempt).rejects.toBe(epipe);
    expect(afters).toEqual([0]);
  });

  it("rejects a malformed chunk as a server error", async () => {
    const { source } = scripted(() => body(['id: 1\nevent: chunk\ndata: {"stream":"tty"}\n\n']));
    await expect(followLog(source, "r1", { onChunk: () => undefined, ...fast })).rejects.toMatchObject({
      exitCode: ExitCode.server,
    });
  });
});
