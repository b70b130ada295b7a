import { describe, expect, it } from "vitest";
import { rawBoolean, rawDate, rawString } from "../../../lib/db/raw-values";

describe("raw row values", () => {
  it("reads dates as SQLite text (with or without an offset), numbers and PostgreSQL dates", () => {
    const at = new Date("2026-12-02T03:32:52.528Z");
    expect(rawDate("2026-12-02T03:32:52.528+00:00")).toEqual(at);
    expect(rawDate("2026-12-02T03:32:52.528Z")).toEqual(at);
    expect(rawDate("2026-12-02 03:32:52.528")).toEqual(at);
    expect(rawDate(BigInt(at.getTime()))).toEqual(at);
    expect(rawDate(at)).toBe(at);
    expect(rawDate(null)).toBeNull();
  });

  it("reads booleans as SQLite integers or PostgreSQL booleans, and nullable text", () => {
    expect([true, 1, 1n].map(rawBoolean)).toEqual([true, true, true]);
    expect([false, 0, 0n, null].map(rawBoolean)).toEqual([false, false, false, false]);
    expect(rawString(null)).toBeNull();
    expect(rawString("x")).toBe("x");
  });
});
