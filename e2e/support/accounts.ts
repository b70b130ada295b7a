import { type Page, expect } from "@playwright/test";
import { BASE_URL, EMPTY_BASE_URL } from "../../playwright.config";

/** The demo users' password (`npm start` seeds them). */
export const PASSWORD = "runops-demo";

/**
 * The instance admin of the second e2e server (empty database, sign-up on):
 * the first start creates it, through the form (e2e/admin/first-start.setup.ts).
 */
export const ROOT = { name: "Root Admin", email: "root@example.com", password: "root-admin-password" };

/** The accounts a test can be signed in as, each on its own server. */
export const ACCOUNTS = {
  admin: { email: "admin@example.com", password: PASSWORD, baseURL: BASE_URL },
  dev: { email: "dev@example.com", password: PASSWORD, baseURL: BASE_URL },
  viewer: { email: "viewer@example.com", password: PASSWORD, baseURL: BASE_URL },
  root: { email: ROOT.email, password: ROOT.password, baseURL: EMPTY_BASE_URL },
} as const;

export type Account = keyof typeof ACCOUNTS;

/** Signs in through the sign-in form and waits for the front page. */
export async function signIn(page: Page, email: string, password: string = PASSWORD) {
  await page.goto("/signin");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { name: "Projects" })).toBeVisible();
}

export async function fillAccount(page: Page, name: string, email: string | null, password: string) {
  await page.getByLabel("Your name").fill(name);
  if (email !== null) await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByLabel("Password again").fill(password);
}

/**
 * Signed in as the instance admin on the empty server, creating it through the
 * first-start page if nobody did yet (a run with `--no-deps` skips the setup).
 */
export async function signInAsRoot(page: Page) {
  await page.goto("/signin");
  await expect(page.getByRole("heading", { name: /Sign in to runops|Welcome to runops/ })).toBeVisible();
  if (new URL(page.url()).pathname === "/setup") {
    await fillAccount(page, ROOT.name, ROOT.email, ROOT.password);
    await page.getByRole("button", { name: "Create administrator account" }).click();
    await expect(page.getByRole("heading", { name: "Projects" })).toBeVisible();
    return;
  }
  await signIn(page, ROOT.email, ROOT.password);
}
