import type { Page } from "@playwright/test";
import { ACCOUNTS, expect, newWatchedContext, test } from "./fixtures";
import { openEnvironment, openRunDialog, operationRadio } from "./helpers";

test.use({ signedInAs: "admin" });

/** The pages a member goes through, besides a run's (added once a run exists). */
const PAGES = [
  "/",
  "/projects/shop",
  "/projects/shop/environments/main",
  "/projects/shop/members",
  "/projects/shop/settings",
  "/projects/shop/audit",
  "/admin",
  "/admin/users",
  "/admin/workers",
  "/admin/audit",
  "/account",
  "/account/tokens",
];

/** A run of the demo's long import (120 s) on staging, left running: a page with a ticking clock. */
async function startLongRun(page: Page): Promise<string> {
  await page.goto("/");
  await openEnvironment(page, "staging");
  const dialog = await openRunDialog(page);
  await operationRadio(page, "long-import", "storefront").check();
  await dialog.getByRole("button", { name: "Run" }).click();
  await expect(page).toHaveURL(/\/runs\/[0-9a-z]+$/);
  await expect(page.getByTestId("run-state")).toHaveText("in progress");
  return new URL(page.url()).pathname;
}

async function cancelRun(page: Page, path: string) {
  await page.goto(path);
  await page.getByRole("button", { name: "Cancel" }).click();
  await expect(page.getByTestId("run-state")).toHaveText("cancelled", { timeout: 30_000 });
}

type Rgb = [number, number, number];

/** The colours an element shows: its text, and the first non-transparent background behind it. */
async function colours(page: Page, selector: string): Promise<{ text: Rgb; background: Rgb }> {
  const { text, background } = await page
    .locator(selector)
    .first()
    .evaluate((el) => {
      let bg = "rgba(0, 0, 0, 0)";
      for (let e: Element | null = el; e; e = e.parentElement) {
        const c = getComputedStyle(e).backgroundColor;
        if (!/rgba\(.*, 0\)$/.test(c) && c !== "transparent") {
          bg = c;
          break;
        }
      }
      return { text: getComputedStyle(el).color, background: bg };
    });
  const rgb = (c: string) => (c.match(/[\d.]+/g) ?? []).slice(0, 3).map(Number) as Rgb;
  return { text: rgb(text), background: rgb(background) };
}

/** WCAG relative luminance and contrast ratio. */
const luminance = ([r, g, b]: Rgb) => {
  const lin = (v: number) => (v / 255 <= 0.03928 ? v / 255 / 12.92 : ((v / 255 + 0.055) / 1.055) ** 2.4);
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
};
const contrast = (a: Rgb, b: Rgb) => {
  const [la, lb] = [luminance(a), luminance(b)];
  return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
};

test.describe("on a phone (390×844)", () => {
  test.use({ viewport: { width: 390, height: 844 } });

  test("no page scrolls sideways: the top bar wraps, wide tables scroll inside their own box", async ({
    page,
  }) => {
    const run = await startLongRun(page);
    try {
      for (const path of [...PAGES, run]) {
        await page.goto(path);
        await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
        const { scrollWidth, innerWidth } = await page.evaluate(() => ({
          scrollWidth: document.scrollingElement!.scrollWidth,
          innerWidth: window.innerWidth,
        }));
        expect(scrollWidth, `${path} is wider than the phone`).toBeLessThanOrEqual(innerWidth);
      }

      // The top bar's items take two rows rather than running off the screen.
      await page.goto("/");
      const bar = page.getByRole("banner");
      const brand = await bar.getByRole("link", { name: "runops" }).boundingBox();
      const signOut = await bar.getByRole("button", { name: "Sign out" }).boundingBox();
      expect(signOut!.y).toBeGreaterThanOrEqual(brand!.y + brand!.height);
      expect(signOut!.x + signOut!.width).toBeLessThanOrEqual(390);

      // The run history has more columns than fit: it scrolls, the page does not.
      await page.goto("/projects/shop/environments/staging");
      const runs = page.getByRole("table", { name: "Runs" });
      await expect(runs.getByRole("link", { name: "long-import" }).first()).toBeVisible();
      const table = await runs.evaluate((el) => ({
        scrolls: el.scrollWidth > el.clientWidth && getComputedStyle(el).overflowX === "auto",
        right: el.getBoundingClientRect().right,
      }));
      expect(table.scrolls).toBe(true);
      expect(table.right).toBeLessThanOrEqual(390);
    } finally {
      await cancelRun(page, run);
    }
  });
});

test.describe("in dark mode", () => {
  test.use({ colorScheme: "dark" });

  test("pages are dark, their text, badges and log stay readable", async ({ page }) => {
    await page.goto("/projects/shop/environments/main");
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    const page_ = await colours(page, "h1");
    expect(luminance(page_.background), "page background").toBeLessThan(0.05);
    expect(contrast(page_.text, page_.background), "heading").toBeGreaterThanOrEqual(7);
    const muted = await colours(page, "main p.muted");
    expect(contrast(muted.text, muted.background), "muted text").toBeGreaterThanOrEqual(4.5);
    const badge = await colours(page, "main .badge");
    expect(contrast(badge.text, badge.background), "badge").toBeGreaterThanOrEqual(4.5);
    const cell = await colours(page, "main table th");
    expect(contrast(cell.text, cell.background), "table header").toBeGreaterThanOrEqual(4.5);
    const link = await colours(page, "main .crumbs a");
    expect(contrast(link.text, link.background), "link").toBeGreaterThanOrEqual(4.5);
    const select = await colours(page, "main select");
    expect(luminance(select.background), "form field").toBeLessThan(0.05);
    expect(contrast(select.text, select.background), "form field").toBeGreaterThanOrEqual(7);

    // The run page: its facts and its log (the demo build's output, with ANSI colours).
    await page.goto("/runs/" + (await firstRunId(page)));
    const log = page.getByRole("log", { name: "Run log" });
    await expect(log.locator(".line").first()).toBeVisible();
    const fact = await colours(page, ".facts dd");
    expect(contrast(fact.text, fact.background), "run facts").toBeGreaterThanOrEqual(7);
    const line = await colours(page, ".log .line .text");
    expect(contrast(line.text, line.background), "log text").toBeGreaterThanOrEqual(7);
  });

  test("the same pages are light when the system is", async ({ browser, sessions }) => {
    const context = await newWatchedContext(browser, {
      baseURL: ACCOUNTS.admin.baseURL,
      colorScheme: "light",
      storageState: await sessions.storageState("admin"),
    });
    const light = await context.newPage();
    await light.goto("/projects/shop");
    await expect(light.getByRole("heading", { level: 1 })).toBeVisible();
    const { text, background } = await colours(light, "h1");
    expect(luminance(background)).toBeGreaterThan(0.8);
    expect(contrast(text, background)).toBeGreaterThanOrEqual(7);
    await context.close();
  });
});

/** The newest run of the main environment through the API (one exists: the dark-mode test's own if none). */
async function firstRunId(page: Page): Promise<string> {
  const list = async () =>
    (
      (await (await page.request.get("/api/v1/projects/shop/environments/main/runs")).json()) as {
        runs: Array<{ id: string; state: string }>;
      }
    ).runs;
  const done = (await list()).find((r) => r.state === "complete");
  if (done) return done.id;
  await page.goto("/projects/shop/environments/main");
  const dialog = await openRunDialog(page);
  await operationRadio(page, "clear-rebuild", "storefront").check();
  await dialog.getByRole("button", { name: "Run" }).click();
  await expect(page.getByTestId("run-state")).toHaveText("complete", { timeout: 30_000 });
  return new URL(page.url()).pathname.split("/").pop()!;
}

test.describe("in a browser far from the server's time zone and locale", () => {
  test.use({ timezoneId: "Pacific/Kiritimati", locale: "de-DE" });

  test("times render the same on the server and in the browser, then become relative", async ({ page }) => {
    const problems: string[] = [];
    page.on("console", (m) => {
      if (m.type() === "error" && /hydrat|#418|#423|#425|did not match/i.test(m.text()))
        problems.push(m.text());
    });
    page.on("pageerror", (e) => {
      if (/hydrat|#418|#423|#425|did not match/i.test(e.message)) problems.push(e.message);
    });
    const run = await startLongRun(page);
    try {
      // Loaded whole, not navigated to: the server renders it and the browser hydrates it.
      await page.goto(run);
      const created = page.locator(".facts div", { hasText: "Created" }).locator("time");
      await expect(created).toHaveText(/just now|min ago/);
      await expect(created).toHaveAttribute("title", /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$/);
      await expect(page.locator(".facts div", { hasText: "Elapsed" }).locator("dd")).toHaveText(/\d/);

      await page.goto("/projects/shop/environments/staging");
      const when = page.getByRole("table", { name: "Runs" }).locator("time").first();
      await expect(when).toHaveText(/just now|min ago/);
      await page.reload();
      await expect(when).toHaveText(/just now|min ago/);
      expect(problems).toEqual([]);
    } finally {
      await cancelRun(page, run);
    }
  });
});

test("a page shows its loading state at once while it streams, and an unknown environment still answers 404", async ({
  page,
}) => {
  const res = await page.goto("/projects/shop/environments/no-such-environment");
  expect(res?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "Not found" })).toBeVisible();

  // The link's prefetch brings the loading state; the page itself is held back here until it was seen.
  const isPrefetch = (headers: Record<string, string>) => headers["next-router-prefetch"] === "1";
  const envUrl = /\/projects\/shop\/environments\/main\?/;
  // Next.js fetches the route's tree, then its segments down to the loading boundary: wait for those.
  const prefetched = page.waitForResponse((r) => {
    const headers = r.request().headers();
    return envUrl.test(r.url()) && isPrefetch(headers) && !headers["next-router-segment-prefetch"] && r.ok();
  });
  await page.goto("/projects/shop");
  await prefetched;
  let release = () => {};
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route(envUrl, async (route) => {
    if (!isPrefetch(route.request().headers())) await held;
    await route.continue();
  });
  await page.getByRole("link", { name: "main", exact: true }).click();
  await expect(page.getByRole("status").filter({ hasText: "Loading the environment" })).toBeVisible();
  release();
  await expect(page.getByRole("heading", { name: "main", level: 1 })).toBeVisible();
  await expect(page.getByRole("status").filter({ hasText: "Loading the environment" })).toHaveCount(0);
});
