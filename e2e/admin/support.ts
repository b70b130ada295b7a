import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { type Browser, type BrowserContext, type Page, expect } from "@playwright/test";
import { newWatchedContext } from "../fixtures";
import { EMPTY_BASE_URL } from "../../playwright.config";
import { ROOT, fillAccount, signIn, signInAsRoot } from "../support/accounts";

export { EMPTY_BASE_URL };

/**
 * The admin suites run against the second e2e server: an empty database, no
 * demo, sign-up on. Its first start runs before any spec (the setup project,
 * first-start.setup.ts); each spec signs in as that admin (`signedInAs:
 * "root"`) and makes its own projects, users and environments, under names of
 * its own (`uniqueId`), so specs run alone and in any order.
 */
export { ROOT, fillAccount, signIn, signInAsRoot };

let made = 0;
/** A short lower-case token no other test of this run uses, for names and slugs. */
export function uniqueId(): string {
  made += 1;
  return `${Date.now().toString(36).slice(-5)}${made}${process.pid.toString(36)}`;
}

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

/** Another person, in their own browser context, signed up through /signup (on on this server). */
export async function newPerson(
  browser: Browser,
  name: string,
): Promise<{ context: BrowserContext; page: Page; email: string; password: string }> {
  const context = await newWatchedContext(browser, { baseURL: EMPTY_BASE_URL });
  const page = await context.newPage();
  const email = `${name.toLowerCase()}-${uniqueId()}@example.com`;
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
