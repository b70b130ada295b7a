import { describe, expect, it } from "vitest";
import { ExitCode, exitCodeForStatus } from "../../../cli/errors";
import { describeOutcome, exitCodeFor, formatDuration, runDuration } from "../../../cli/outcome";
import { matchesService } from "../../../cli/target";
import { plainStyle } from "./helpers";

describe("outcome", () => {
  it("exits 0 only for a run that completed with success", () => {
    expect(exitCodeFor({ state: "complete", result: "success" })).toBe(0);
    expect(exitCodeFor({ state: "complete", result: "failure" })).toBe(ExitCode.runFailed);
    expect(exitCodeFor({ state: "cancelled", result: "failure" })).toBe(ExitCode.runFailed);
  });

  it("says state, result, exit code or signal, duration and reason", () => {
    const end = {
      state: "complete" as const,
      result: "failure" as const,
      exitCode: 3,
      signal: null,
      reason: null,
    };
    expect(describeOutcome("r1", end, 1234, plainStyle)).toBe(
      "Run r1 complete: failure, exit code 3, 1.2 s\n",
    );
    const cancelled = {
      state: "cancelled" as const,
      result: "failure" as const,
      exitCode: null,
      signal: "SIGTERM",
      reason: "cancelled by Ada",
    };
    expect(describeOutcome("r2", cancelled, null, plainStyle)).toBe(
      "Run r2 cancelled: failure, signal SIGTERM\nReason: cancelled by Ada\n",
    );
  });

  it("formats durations", () => {
    expect(formatDuration(3150)).toBe("3.1 s");
    expect(formatDuration(42_000)).toBe("42 s");
    expect(formatDuration(125_000)).toBe("2 min 5 s");
    expect(formatDuration(3_720_000)).toBe("1 h 2 min");
    expect(
      runDuration({ createdAt: "x", startedAt: "2025-01-01T00:00:00Z", finishedAt: "2025-01-01T00:00:02Z" }),
    ).toBe(2000);
    expect(runDuration({ createdAt: "x", startedAt: null, finishedAt: null })).toBeNull();
  });

  it("has one exit code per HTTP error kind", () => {
    expect([401, 403, 404, 409, 400, 422, 500].map(exitCodeForStatus)).toEqual([3, 4, 5, 7, 2, 2, 8]);
  });
});

describe("service selection, as Upsun's --app and --worker", () => {
  const app = { app: "api", worker: null, service: "api" };
  const worker = { app: "api", worker: "queue", service: "api--queue" };
  it("--app selects the app's own operations, --worker a worker's by either name", () => {
    expect(matchesService(app, {})).toBe(true);
    expect(matchesService(worker, {})).toBe(true);
    expect(matchesService(app, { app: "api" })).toBe(true);
    expect(matchesService(worker, { app: "api" })).toBe(false);
    expect(matchesService(worker, { worker: "queue" })).toBe(true);
    expect(matchesService(worker, { worker: "api--queue" })).toBe(true);
    expect(matchesService(worker, { worker: "queue", app: "storefront" })).toBe(false);
    expect(matchesService(app, { worker: "queue" })).toBe(false);
  });
});
