import type { Browser, BrowserContext, Page } from "@playwright/test";
import { EMPTY_BASE_URL, newPerson } from "./admin/support";
import { expect, newWatchedContext, test } from "./fixtures";
import { PASSWORD, signIn } from "./helpers";
import { BASE_URL } from "../playwright.config";

const FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:130.0) Gecko/20100101 Firefox/130.0";
const SAFARI_IOS =
  "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1";

/** A browser context holding only a copy of `page`'s session cookie, as someone who copied it would. */
async function contextWithCopiedCookie(browser: Browser, page: Page, baseURL: string) {
  const cookie = (await page.context().cookies()).find((c) => c.name.endsWith("next-auth.session-token"));
  if (!cookie) throw new Error("no session cookie after signing in");
  const context = await newWatchedContext(browser, { baseURL });
  await context.addCookies([cookie]);
  return context;
}

/** GET /api/v1/me with whatever cookies the context holds. */
async function me(context: BrowserContext) {
  const res = await context.request.get("/api/v1/me");
  return { status: res.status(), body: (await res.json()) as { user?: { email: string } } };
}

/** Submits the sign-in form and waits for the console's answer. */
async function submitSignIn(page: Page, email: string, password: string) {
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  const answered = page.waitForResponse((r) => r.url().endsWith("/api/auth/callback/credentials"));
  await page.getByRole("button", { name: "Sign in" }).click();
  return (await answered).status();
}

test("a copied session cookie stops working when its session signs out", async ({ page, browser }) => {
  await signIn(page, "viewer@example.com");
  const thief = await contextWithCopiedCookie(browser, page, BASE_URL);
  try {
    expect(await me(thief)).toMatchObject({ status: 200, body: { user: { email: "viewer@example.com" } } });

    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page.getByRole("heading", { name: "Sign in to runops" })).toBeVisible();
    expect((await me(thief)).status).toBe(401);
    // Pages too: the copy gets the sign-in page.
    const stolen = await thief.newPage();
    await stolen.goto("/");
    await expect(stolen.getByRole("heading", { name: "Sign in to runops" })).toBeVisible();
  } finally {
    await thief.close();
  }
});

test.describe("sessions on the account page", () => {
  test.use({ baseURL: EMPTY_BASE_URL });

  test("lists where the user is signed in, signs one out, and a password change ends the others", async ({
    browser,
    sessions,
  }) => {
    await sessions.storageState("root"); // sign-up opens once the instance has its first admin
    const kim = await newPerson(browser, "Kim");
    const laptop = await newWatchedContext(browser, { baseURL: EMPTY_BASE_URL, userAgent: FIREFOX });
    const phone = await newWatchedContext(browser, { baseURL: EMPTY_BASE_URL, userAgent: SAFARI_IOS });
    try {
      await signIn(await laptop.newPage(), kim.email, kim.password);
      await signIn(await phone.newPage(), kim.email, kim.password);
      const status = async (context: BrowserContext) => (await me(context)).status;
      expect([await status(kim.context), await status(laptop), await status(phone)]).toEqual([200, 200, 200]);

      const p = kim.page;
      await p.goto("/account");
      const sessions = p.getByRole("table", { name: "Sessions" });
      await expect(sessions.getByRole("row")).toHaveCount(4);
      await expect(sessions.getByRole("row").filter({ hasText: "This session" })).toHaveCount(1);
      const phoneRow = sessions.getByRole("row").filter({ hasText: "Safari on iOS" });
      await expect(phoneRow).toContainText("127.0.0.1");
      await phoneRow.getByRole("button", { name: "Sign out" }).click();
      await expect(sessions.getByRole("row")).toHaveCount(3);
      expect(await status(phone)).toBe(401);
      expect(await status(laptop)).toBe(200);

      // "Sign out my other sessions" is ticked by default.
      const form = p.getByRole("form", { name: "Change password" });
      await expect(form.getByLabel("Sign out my other sessions")).toBeChecked();
      await form.getByLabel("Current password").fill(kim.password);
      await form.getByLabel("New password", { exact: true }).fill("kim-new-password-2");
      await form.getByLabel("New password again").fill("kim-new-password-2");
      await form.getByRole("button", { name: "Change password" }).click();
      await expect(form.getByRole("status")).toBeVisible();
      expect(await status(laptop)).toBe(401);
      expect(await status(kim.context)).toBe(200);
      await p.reload();
      await expect(sessions.getByRole("row")).toHaveCount(2);
    } finally {
      await Promise.all([kim.context.close(), laptop.close(), phone.close()]);
    }
  });
});

test("repeated wrong passwords are throttled, and the form says how long to wait", async ({ page }) => {
  // An email with no account: the throttle treats it exactly like one that has (and the demo users stay usable).
  const email = `nobody-${Date.now().toString(36)}@example.com`;
  await page.goto("/signin");
  const form = page.locator("form");
  for (let i = 0; i < 5; i++) {
    expect(await submitSignIn(page, email, "not the password")).toBe(401);
    await expect(form.getByRole("alert")).toHaveText("Wrong email or password.");
  }
  expect(await submitSignIn(page, email, "not the password")).toBe(429);
  await expect(form.getByRole("alert")).toHaveText(/^Too many failed sign-ins\. Try again in \d+ seconds\.$/);
  // Other accounts from the same browser are not affected.
  await signIn(page, "dev@example.com");
});

test("after sign-in, a callbackUrl to another site lands on the console's own front page", async ({
  page,
}) => {
  for (const callbackUrl of ["//evil.example", "//evil.example/%2e%2e", "/\\evil.example"]) {
    await page.goto(`/signin?callbackUrl=${encodeURIComponent(callbackUrl)}`);
    await submitSignIn(page, "dev@example.com", PASSWORD);
    await expect(page.getByRole("heading", { name: "Projects" })).toBeVisible();
    expect(page.url()).toBe(`${BASE_URL}/`);
  }
  // A same-origin path is kept.
  await page.goto(`/signin?callbackUrl=${encodeURIComponent("/account")}`);
  await submitSignIn(page, "dev@example.com", PASSWORD);
  await expect(page.getByRole("heading", { name: "Your account" })).toBeVisible();
});

test("the credentials callback never answers 500, whatever the callbackUrl", async ({ request }) => {
  for (const callbackUrl of [
    "http://127.0.0.1:3300.evil.example/",
    "http://[::1",
    "//evil.example",
    "\u0000",
  ]) {
    const { csrfToken } = (await (await request.get("/api/auth/csrf")).json()) as { csrfToken: string };
    const res = await request.post("/api/auth/callback/credentials", {
      form: { email: "viewer@example.com", password: PASSWORD, csrfToken, callbackUrl, json: "true" },
    });
    expect(res.status()).toBe(200);
    expect(await res.json()).toEqual({ url: `${BASE_URL}/` });
  }
});
