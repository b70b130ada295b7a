import { describe, expect, it } from "vitest";
import { completeUtf8Length } from "../../../lib/logs/utf8-boundary";

describe("completeUtf8Length", () => {
  const euro = Buffer.from("€"); // e2 82 ac
  const face = Buffer.from("😀"); // f0 9f 98 80

  it("keeps complete text whole", () => {
    const b = Buffer.from("héllo €😀");
    expect(completeUtf8Length(b)).toBe(b.length);
  });

  it("cuts before an unfinished multi-byte character", () => {
    expect(completeUtf8Length(Buffer.concat([Buffer.from("a"), euro.subarray(0, 2)]))).toBe(1);
    expect(completeUtf8Length(Buffer.concat([Buffer.from("ab"), face.subarray(0, 3)]))).toBe(2);
    expect(completeUtf8Length(Buffer.concat([Buffer.from("ab"), face.subarray(0, 1)]))).toBe(2);
  });

  it("passes bytes that are not UTF-8 through", () => {
    expect(completeUtf8Length(Buffer.from([0x61, 0xff]))).toBe(2);
    expect(completeUtf8Length(Buffer.from([0x80, 0x80, 0x80, 0x80]))).toBe(4);
  });
});
