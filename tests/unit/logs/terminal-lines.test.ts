import { describe, expect, it } from "vitest";
import { TerminalLines } from "../../../lib/ansi/terminal-lines";

function render(...pieces: string[]) {
  const t = new TerminalLines();
  for (const p of pieces) t.push(p, "stdout");
  t.finish();
  return t.lines.map((l) => l.segments);
}
const text = (...pieces: string[]) => render(...pieces).map((segs) => segs.map((s) => s.text).join(""));

describe("terminal lines", () => {
  it("splits lines and keeps plain text as text", () => {
    expect(text("a\nb\n", "c")).toEqual(["a", "b", "c"]);
    expect(text("<b>not html</b>\n")).toEqual(["<b>not html</b>"]);
  });

  it("applies 16-colour, bold and reset", () => {
    const [line] = render("\x1b[1;31mred\x1b[0m plain\n");
    expect(line).toEqual([
      { text: "red", style: { bold: true, fg: "#cd3131" } },
      { text: " plain", style: {} },
    ]);
  });

  it("applies 256-colour and truecolor, foreground and background", () => {
    const [line] = render("\x1b[38;5;196mx\x1b[48;2;10;20;30my\n");
    expect(line?.[0]).toEqual({ text: "x", style: { fg: "rgb(255,0,0)" } });
    expect(line?.[1]).toEqual({ text: "y", style: { fg: "rgb(255,0,0)", bg: "rgb(10,20,30)" } });
  });

  it("handles italic, underline and their resets", () => {
    const [line] = render("\x1b[3;4mi\x1b[23mu\x1b[24mn\n");
    expect(line).toEqual([
      { text: "i", style: { italic: true, underline: true } },
      { text: "u", style: { underline: true } },
      { text: "n", style: {} },
    ]);
  });

  it("overwrites the line after \\r, like a progress bar", () => {
    expect(text("progress 10%\rprogress 50%\rprogress 100%\n")).toEqual(["progress 100%"]);
    expect(text("abcdef\rXY\n")).toEqual(["XYcdef"]);
  });

  it("clears to the end of the line with ESC[K", () => {
    expect(text("downloading 100 files\r\x1b[Kdone\n")).toEqual(["done"]);
  });

  it("joins an escape sequence split across chunks", () => {
    const [line] = render("\x1b[3", "2mgreen\n");
    expect(line).toEqual([{ text: "green", style: { fg: "#0dbc79" } }]);
  });

  it("shows malformed or unknown sequences harmlessly", () => {
    expect(text("a\x1b[999;mb\n")).toEqual(["ab"]);
    expect(text("x\x1b[38;5mq\n")).toEqual(["xq"]);
    expect(text("cut \x1b[")).toEqual(["cut ["]);
    expect(text("bell\x07 and \x1b]0;title\x07ok\n")).toEqual(["bell and ok"]);
  });

  it("keeps style across lines, as a terminal does", () => {
    const lines = render("\x1b[32mone\ntwo\x1b[0m\n");
    expect(lines[1]).toEqual([{ text: "two", style: { fg: "#0dbc79" } }]);
  });

  it("exposes the unfinished last line while output streams", () => {
    const t = new TerminalLines();
    t.push("first\nsecond", "stderr");
    expect(t.lines).toHaveLength(1);
    expect(
      t
        .partial()
        ?.segments.map((s) => s.text)
        .join(""),
    ).toBe("second");
    expect(t.partial()?.stream).toBe("stderr");
  });
});
