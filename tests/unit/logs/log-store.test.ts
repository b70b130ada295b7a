import { describe, expect, it } from "vitest";
import { BLOCK, LogStore } from "../../../components/log/log-store";

const texts = (s: LogStore) => Array.from({ length: s.total }, (_, i) => s.get(i)?.text);

describe("the viewer's log store", () => {
  it("appends live text: continuing the open line, closing lines at newlines, keeping empty lines", () => {
    const s = new LogStore();
    s.append("a\nb", "stdout", "t1");
    expect(texts(s)).toEqual(["a", "b"]);
    s.append("c\n\n", "stdout", "t2");
    expect(texts(s)).toEqual(["a", "bc", ""]);
    s.append("d", "stderr", "t3");
    expect(texts(s)).toEqual(["a", "bc", "", "d"]);
    expect(s.get(3)).toEqual({ text: "d", stream: "stderr", at: "t3" });
  });

  it("continues a stored tail that ended without a newline", () => {
    const s = new LogStore();
    s.absorb(
      {
        total: 2,
        seq: 5,
        partial: true,
        lines: [
          { n: 1, text: "x", stream: "stdout", at: null },
          { n: 2, text: "progr", stream: "stdout", at: null },
        ],
      },
      true,
    );
    s.append("ess\nnext\n", "stdout", "t");
    expect(texts(s)).toEqual(["x", "progress", "next"]);
  });

  it("knows which blocks of a range it lacks, and forgets lines far from the screen", () => {
    const s = new LogStore();
    s.absorb(
      {
        total: 50_000,
        seq: 1,
        partial: false,
        lines: [{ n: 50_000, text: "end", stream: "stdout", at: null }],
      },
      true,
    );
    expect(s.missingBlocks(0, 10)).toEqual([0]);
    expect(s.missingBlocks(BLOCK - 5, BLOCK + 5)).toEqual([0, 1]);
    s.markLoading(1, true);
    expect(s.missingBlocks(BLOCK - 5, BLOCK + 5)).toEqual([0]);
    const lines = Array.from({ length: 30_000 }, (_, i) => ({
      n: i + 1,
      text: `l${i + 1}`,
      stream: "stdout",
      at: null,
    }));
    s.absorb({ total: 50_000, seq: 1, partial: false, lines }, false);
    expect(s.has(0)).toBe(true);
    s.evictAround(29_000);
    expect(s.has(0)).toBe(false);
    expect(s.has(29_000)).toBe(true);
    expect(s.get(49_999)?.text).toBe("end");
  });
});
