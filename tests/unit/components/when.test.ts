import { describe, expect, it } from "vitest";
import { formatDuration, runDuration } from "../../../components/run-format";
import { ago, utc, utcClock } from "../../../components/when";

describe("times as the console shows them", () => {
  it("writes an absolute time in UTC to the second, whatever the process's time zone", () => {
    expect(utc("2026-03-04T05:06:07.890Z")).toBe("2026-03-04 05:06:07 UTC");
    expect(utc(new Date(Date.UTC(2026, 11, 31, 23, 59, 59)))).toBe("2026-12-31 23:59:59 UTC");
    expect(utc(null)).toBe("—");
    expect(utcClock("2026-03-04T05:06:07.089Z")).toBe("05:06:07.089");
  });

  it("says how long ago, coarsely, and falls back to the date past a month", () => {
    const at = "2026-03-04T05:06:07Z";
    const t = Date.parse(at);
    expect(ago(at, t + 20_000)).toBe("just now");
    expect(ago(at, t - 5_000)).toBe("just now"); // a browser clock a little behind the server's
    expect(ago(at, t + 3 * 60_000 + 59_000)).toBe("3 min ago");
    expect(ago(at, t + 5 * 3_600_000)).toBe("5 h ago");
    expect(ago(at, t + 2 * 86_400_000)).toBe("2 d ago");
    expect(ago(at, t + 40 * 86_400_000)).toBe("2026-03-04");
  });

  it("knows a finished run's duration without a clock, a running one's only with it", () => {
    const run = { startedAt: "2026-03-04T05:06:07Z", finishedAt: "2026-03-04T05:07:12Z" };
    expect(formatDuration(runDuration(run, null) ?? -1)).toBe("1m 05s");
    const running = { startedAt: run.startedAt, finishedAt: null };
    expect(runDuration(running, null)).toBeNull();
    expect(runDuration(running, Date.parse(run.startedAt) + 3_200)).toBe(3_200);
  });
});
