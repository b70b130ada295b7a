import { describe, expect, it } from "vitest";
import { authOptions } from "../../../lib/auth/auth-options";
import { safeRedirectPath } from "../../../lib/auth/safe-redirect";

const ORIGIN = "http://127.0.0.1:3300";

/** Where the browser goes after sign-in for each callbackUrl: the console's own paths, else `/`. */
const CASES: [unknown, string][] = [
  ["//evil.example", "/"],
  ["//evil.example/%2e%2e", "/"],
  ["/\\evil.example", "/"],
  ["\\\\evil.example", "/"],
  ["/\t/evil.example", "/"],
  ["/.//evil.example", "/"],
  ["http://127.0.0.1:3300.evil.example/", "/"],
  ["http://evil.example/", "/"],
  ["https://127.0.0.1:3300/projects", "/"],
  ["http://127.0.0.1:3300@evil.example/", "/"],
  ["javascript:alert(document.cookie)", "/"],
  ["data:text/html,<script>alert(1)</script>", "/"],
  ["http://[::1", "/"],
  ["", "/"],
  [undefined, "/"],
  [["/projects"], "/"],
  [`/${"a".repeat(3000)}`, "/"],
  ["/", "/"],
  ["/projects/shop", "/projects/shop"],
  [
    "/projects/shop/environments/staging?tab=runs#L12-L20",
    "/projects/shop/environments/staging?tab=runs#L12-L20",
  ],
  ["projects/shop", "/projects/shop"],
  ["/projects/%2F%2Fevil.example", "/projects/%2F%2Fevil.example"],
  [`${ORIGIN}/runs/abc`, "/runs/abc"],
];

describe("redirects after sign-in", () => {
  it.each(CASES)("sends callbackUrl %j to %s", (candidate, expected) => {
    expect(safeRedirectPath(candidate, ORIGIN)).toBe(expected);
  });

  it("are what next-auth's redirect callback answers, as absolute URLs on the console, never throwing", async () => {
    const redirect = authOptions.callbacks?.redirect;
    if (!redirect) throw new Error("authOptions has no redirect callback");
    for (const [candidate, expected] of CASES) {
      if (typeof candidate !== "string") continue;
      expect(await redirect({ url: candidate, baseUrl: ORIGIN })).toBe(`${ORIGIN}${expected}`);
    }
    // A console URL that does not parse is no reason to answer 500 either.
    expect(safeRedirectPath("/projects", "not a url")).toBe("/");
  });
});
