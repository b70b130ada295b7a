import { describe, expect, it } from "vitest";
import { AppError } from "../../../lib/errors";
import { handleErrors } from "../../../lib/http/json-route";

describe("the API's error answers", () => {
  it("carry the headers an AppError names, e.g. Retry-After on a 429", async () => {
    const res = await handleErrors(async () => {
      throw new AppError(
        429,
        "throttled",
        "Too many failed attempts",
        { retryAfterSec: 30 },
        { "retry-after": "30" },
      );
    });
    expect(res.status).toBe(429);
    expect(res.headers.get("retry-after")).toBe("30");
    expect(await res.json()).toEqual({
      error: { code: "throttled", message: "Too many failed attempts", details: { retryAfterSec: 30 } },
    });
  });
});
