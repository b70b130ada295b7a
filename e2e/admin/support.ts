import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { type Browser, type BrowserContext, type Page, expect } from "@playwright/test";
import { newWatchedContext } from "../fixtures";
import { EMPTY_BASE_URL } from "../../playwright.config";

export { EMPTY_BASE_URL };

/**
 * The admin suites run against the second e2e server: an empty database, no
 * demo, sign-up on. The first spec creates its instance admin through the
 * first-start page; every other spec signs in as that admin (or creates it,
 * when run alone), and makes its own project, users and environments.
 */
export const ROOT = { name: "Root Admin", email: "root@example.com", password: "root-admin-password" };

/** A small .upsun/config.yaml: one operation per role, and one that waits to be cancelled. */
export const CONFIG = `
applications:
  web:
    source:
      root: app
    operations:
      hello:
        role: viewer
        commands:
          start: echo "hello from $PLATFORM_ENVIRONMENT"
      build:
        commands:
          start: echo building
      purge:
        role: admin
        commands:
          start: echo purged
      wait:
        commands:
          start: 'echo waiting; exec sleep 300'
`;

/** A directory on this host (the e2e server's host too) holding .upsun/config.yaml. */
export function makeTarget(config = CONFIG) {
  const dir = mkdtempSync(path.join(tmpdir(), "runops-e2e-admin-"));
  mkdirSync(path.join(dir, ".upsun"));
  mkdirSync(path.join(dir, "app"));
  const write = (text: string) => writeFileSync(path.join(dir, ".upsun", "config.yaml"), text);
  write(config);
  return { dir, write, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export async function signIn(page: Page, email: string, password: string) {
  await page.goto("/signin");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { name: "Projects" })).toBeVisible();
}

/** Signed in as the instance admin, creating it through the first-start page if nobody did yet. */
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

export async function fillAccount(page: Page, name: string, email: string | null, password: string) {
  await page.getByLabel("Your name").fill(name);
  if (email !== null) await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByLabel("Password again").fill(password);
}

/** Another person, in their own browser context, signed up through /signup (on on this server). */
export async function newPerson(
  browser: Browser,
  name: string,
): Promise<{ context: BrowserContext; page: Page; email: string; password: string }> {
  const context = await newWatchedContext(browser, { baseURL: EMPTY_BASE_URL });
  const page = await context.newPage();
  const email = `${name.toLowerCase()}-${Date.now().toString(36)}@example.com`;
  const password = `${name.toLowerCase()}-password-1`;
  await page.goto("/signup");
  await fillAccount(page, name, email, password);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByRole("heading", { name: "Projects" })).toBeVisible();
  return { context, page, email, password };
}

/** Creates a project as the signed-in instance admin; ends on its settings page. */
export async function createProject(page: Page, name: string) {
  await page.goto("/admin/projects/new");
  await page.getByLabel("Name", { exact: true }).fill(name);
  await page.getByRole("button", { name: "Create project" }).click();
  await expect(page.getByText("Project created; you are its admin.")).toBeVisible();
  return new URL(page.url()).pathname.split("/")[2] ?? "";
}

/** Adds an environment through the form; returns the outcome panel. */
export async function addEnvironment(page: Page, slug: string, name: string, type: string, dir: string) {
  await page.goto(`/projects/${slug}/settings/environments/new`);
  const form = page.getByRole("form", { name: "New environment" });
  await form.getByLabel("Name").fill(name);
  await form.getByLabel("Type").selectOption(type);
  await form.getByLabel("Directory", { exact: true }).fill(dir);
  await form.getByRole("button", { name: "Add and deploy" }).click();
  const outcome = page
    .getByRole("status")
    .filter({ has: page.getByRole("heading", { name: new RegExp(`Environment ${name} created`) }) });
  await expect(outcome).toBeVisible();
  return outcome;
}
