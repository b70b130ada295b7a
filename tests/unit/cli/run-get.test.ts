import { describe, expect, it } from "vitest";
import type { Run } from "../../../cli/api-client";
import { runProperties, runProperty } from "../../../cli/commands/run-get";

const run = {
  id: "r1",
  state: "complete",
  exitCode: 0,
  signal: null,
  cancelRequested: false,
  triggeredBy: { id: "u1", name: "Ada", email: "ada@example.com" },
} as unknown as Run;

describe("run:get", () => {
  it("lists the run's fields with nested objects as dotted paths", () => {
    expect(runProperties(run)).toEqual([
      ["id", "r1"],
      ["state", "complete"],
      ["exitCode", 0],
      ["signal", null],
      ["cancelRequested", false],
      ["triggeredBy.id", "u1"],
      ["triggeredBy.name", "Ada"],
      ["triggeredBy.email", "ada@example.com"],
    ]);
  });

  it("finds one property by path, an object whole, and says when there is none", () => {
    expect(runProperty(run, "exitCode")).toEqual({ found: true, value: 0 });
    expect(runProperty(run, "signal")).toEqual({ found: true, value: null });
    expect(runProperty(run, "triggeredBy.email")).toEqual({ found: true, value: "ada@example.com" });
    expect(runProperty(run, "triggeredBy").value).toEqual(run.triggeredBy);
    expect(runProperty(run, "nope").found).toBe(false);
    expect(runProperty(run, "state.length").found).toBe(false);
    expect(runProperty(run, "toString").found).toBe(false);
  });
});
