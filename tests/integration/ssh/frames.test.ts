import { describe, expect, it } from "vitest";
import { FrameReader, framePrefix } from "../../../lib/executor/ssh-remote-script";

const NONCE = "0123456789abcdef0123456789abcdef";

/** Feeds `chunks` through a FrameReader; returns the output bytes and the frames, in order. */
function read(chunks: Buffer[]) {
  const out: Buffer[] = [];
  const frames: string[] = [];
  const reader = new FrameReader(
    NONCE,
    (d) => out.push(Buffer.from(d)),
    (word, arg) => frames.push(`${word}|${arg}`),
  );
  for (const c of chunks) reader.push(c);
  reader.end();
  return { out: Buffer.concat(out), frames };
}

describe("the wrapper's frames on stdout, however the channel cuts them", () => {
  const frame = (text: string) => Buffer.concat([framePrefix(NONCE), Buffer.from(`${text}\n`)]);
  const stream = Buffer.concat([
    Buffer.from("login noise\n"),
    frame("ready"),
    Buffer.from("half a line, "),
    frame("left 12\\s(sleep)"),
    Buffer.from("the rest\n\x1erunops:not-the-nonce ready\n\x1e\x1e"),
    Buffer.from(`\x1erunops:${NONCE.slice(0, 10)}`),
    frame("kill"),
    Buffer.from([0xff, 0x00, 0x1e]),
  ]);
  const expectedOut = Buffer.concat([
    Buffer.from("login noise\nhalf a line, the rest\n\x1erunops:not-the-nonce ready\n\x1e\x1e"),
    Buffer.from(`\x1erunops:${NONCE.slice(0, 10)}`),
    Buffer.from([0xff, 0x00, 0x1e]),
  ]);
  const expectedFrames = ["ready|", "left|12\\s(sleep)", "kill|"];

  it("in one chunk", () => {
    expect(read([stream])).toEqual({ out: expectedOut, frames: expectedFrames });
  });

  it("cut in two at every byte", () => {
    for (let cut = 0; cut <= stream.length; cut++) {
      const got = read([stream.subarray(0, cut), stream.subarray(cut)]);
      expect(got.frames, `cut at ${cut}`).toEqual(expectedFrames);
      expect(got.out.equals(expectedOut), `cut at ${cut}`).toBe(true);
    }
  });

  it("one byte at a time", () => {
    const bytes = [...stream].map((b) => Buffer.from([b]));
    expect(read(bytes)).toEqual({ out: expectedOut, frames: expectedFrames });
  });

  it("passes output on as the chunks it came in when there is no frame in them", () => {
    const chunk = Buffer.alloc(32 * 1024, 0x61);
    const seen: Buffer[] = [];
    const reader = new FrameReader(
      NONCE,
      (d) => seen.push(d),
      () => undefined,
    );
    reader.push(chunk);
    expect(seen).toHaveLength(1);
    expect(seen[0]).toBe(chunk);
  });
});
