import http from "node:http";
import type { AddressInfo } from "node:net";
import type { Page } from "@playwright/test";
import { BASE_URL } from "../playwright.config";
import { expect, test } from "./fixtures";

const RUNS = "/api/v1/projects/shop/environments/staging/runs";
const TRIGGER = JSON.stringify({ operation: "ping", app: "api" });

/** An attacker's site on another port of the same host: same-site for the browser, another origin. */
async function attackerSite(html: string) {
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { "content-type": "text/html" });
    res.end(html);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/`, close: () => new Promise((r) => server.close(r)) };
}

async function pingRuns(page: Page): Promise<number> {
  const res = await page.request.get(`${RUNS}?operation=ping&limit=200`);
  return ((await res.json()) as { runs: unknown[] }).runs.length;
}

test.describe("with the admin's session cookie", () => {
  test.use({ signedInAs: "admin" });

  test("a page on another port of the same host can neither frame the console nor trigger a run with the admin's cookie", async ({
    page,
  }) => {
    const before = await pingRuns(page);
    const site = await attackerSite(`<!doctype html>
    <iframe id="frame" src="${BASE_URL}/projects/shop/environments/staging" width="800" height="600"></iframe>
    <form id="csrf" method="POST" action="${BASE_URL}${RUNS}" enctype="text/plain">
      <input name='${TRIGGER.slice(0, -1)}, "x": "' value='"}'>
    </form>
    <script>
      fetch(${JSON.stringify(BASE_URL + RUNS)}, { method: "POST", mode: "no-cors", credentials: "include",
        headers: { "content-type": "text/plain" }, body: ${JSON.stringify(TRIGGER)} })
        .finally(() => { document.title = "sent"; });
    </script>`);
    const attacker = await page.context().newPage();
    try {
      await attacker.goto(site.url);
      await expect(attacker).toHaveTitle("sent");
      // The framed console never renders: frame-ancestors 'none' / X-Frame-Options: DENY.
      const framed = attacker.frameLocator("#frame");
      await expect(framed.getByRole("button", { name: "More" })).toHaveCount(0);
      await expect(framed.getByRole("heading", { name: "staging" })).toHaveCount(0);
      // A classic form post (text/plain, no preflight) lands on the refusal, not on a run.
      await attacker.evaluate(() => (document.getElementById("csrf") as HTMLFormElement).submit());
      await attacker.waitForURL(`${BASE_URL}${RUNS}`);
      await expect(attacker.locator("body")).toContainText("cross_site");
    } finally {
      await attacker.close();
      await site.close();
    }
    expect(await pingRuns(page)).toBe(before);

    // Each refusal is in the instance audit log, with where it came from.
    await page.goto("/admin/audit");
    await expect(page.getByText("access.cross_site_refused").first()).toBeVisible();
  });

  test("cookie-authenticated API mutations need the console's own origin; bearer tokens do not", async ({
    page,
  }) => {
    const origin = new URL(BASE_URL).origin;
    const post = (headers: Record<string, string>) =>
      page.request.post(RUNS, { data: TRIGGER, headers: { "content-type": "application/json", ...headers } });

    const attempts: Array<Record<string, string>> = [
      { origin: "http://127.0.0.1:9" },
      { origin: "null" },
      {},
      { "sec-fetch-site": "same-site" },
    ];
    for (const headers of attempts) {
      const refused = await post(headers);
      expect(refused.status(), JSON.stringify(headers)).toBe(403);
      expect(((await refused.json()) as { error: { code: string } }).error.code).toBe("cross_site");
    }
    // A text/plain body is not JSON: even from the console's origin it is refused, never parsed.
    const plain = await page.request.post(RUNS, {
      data: TRIGGER,
      headers: { origin, "content-type": "text/plain" },
    });
    expect(plain.status()).toBe(415);
    expect((await post({ origin })).status()).toBe(202);
    expect((await post({ "sec-fetch-site": "same-origin" })).status()).toBe(202);
  });
});

test("every page carries the security headers", async ({ page }) => {
  const res = await page.goto("/signin");
  const headers = res?.headers() ?? {};
  expect(headers["content-security-policy"]).toContain("frame-ancestors 'none'");
  expect(headers["content-security-policy"]).toMatch(
    /script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'/,
  );
  expect(headers["x-frame-options"]).toBe("DENY");
  expect(headers["referrer-policy"]).toBe("same-origin");
  expect(headers["x-content-type-options"]).toBe("nosniff");
  // Over plain HTTP (this suite), no HSTS: it is sent when the console's URL is https.
  expect(headers["strict-transport-security"]).toBeUndefined();
});

test("unparseable paths answer a 4xx JSON error, never a 500", async ({ request }) => {
  for (const path of ["/api/v1/runs/%ff", "/api/v1/runs/%zz", "/api/v1/projects/%ff/environments"]) {
    const res = await request.get(path);
    expect(res.status(), path).toBe(400);
    expect(res.headers()["content-type"]).toContain("application/json");
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("invalid_request");
  }
});
