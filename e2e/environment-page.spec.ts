import type { Page } from "@playwright/test";
import { expect, test } from "./fixtures";
import { openEnvironment } from "./helpers";

/** From the front page to the environment's, as a member gets there. */
async function openFromHome(page: Page, env: string) {
  await page.goto("/");
  await openEnvironment(page, env);
  return page;
}

test("the environment page lists its operations, with Run for those the member may run and why not for the others", async ({
  asUser,
}) => {
  const page = await openFromHome(await asUser("viewer"), "main");
  const table = page.getByRole("table", { name: "Operations" });
  const row = (name: string, app: string) =>
    table
      .getByRole("row")
      .filter({ has: page.getByRole("cell", { name, exact: true }) })
      .filter({
        has: page.getByRole("cell", { name: app, exact: true }),
      });

  await expect(row("clear-cache", "storefront")).toContainText("admin");
  await expect(row("clear-cache", "storefront")).toContainText("requires admin");
  await expect(row("clear-cache", "storefront").getByRole("button")).toHaveCount(0);
  await expect(row("drain-queue", "api › queue")).toContainText("requires admin");
  await expect(row("ping", "api").getByRole("button", { name: "Run ping on api" })).toBeVisible();

  // Run opens the Run dialog on that operation: Enter runs it.
  const run = row("ping", "storefront").getByRole("button", { name: "Run ping on storefront" });
  await run.click();
  const dialog = page.getByRole("dialog", { name: "Run runtime operation" });
  const radio = dialog.getByRole("radio", { name: "ping on storefront" });
  await expect(radio).toBeChecked();
  await expect(radio).toBeFocused();
  // Closing it gives focus back to the button that opened it.
  await page.keyboard.press("Escape");
  await expect(dialog).toBeHidden();
  await expect(run).toBeFocused();

  await run.press("Enter");
  await expect(radio).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/runs\/[0-9a-z]+$/);
  await expect(page.getByRole("heading", { name: /ping on storefront/ })).toBeVisible();
  await expect(page.getByTestId("run-state")).toHaveText("complete", { timeout: 30_000 });
  await expect(
    page.getByRole("log", { name: "Run log" }).getByText("pong from storefront on main"),
  ).toBeVisible();
});

test("the More menu works from the keyboard: open keys, arrows, type-ahead, Escape and Tab", async ({
  asUser,
}) => {
  const page = await openFromHome(await asUser("admin"), "staging");
  const more = page.getByRole("button", { name: "More" });
  const menu = page.getByRole("menu", { name: "Environment actions" });
  const item = (name: string) => page.getByRole("menuitem", { name });

  for (const key of ["Enter", " ", "ArrowDown"]) {
    await more.focus();
    await page.keyboard.press(key);
    await expect(menu).toBeVisible();
    await expect(item("Run runtime operation"), `${key} opens it on its first item`).toBeFocused();
    await expect(more).toHaveAttribute("aria-expanded", "true");
    await page.keyboard.press("Escape");
    await expect(menu).toBeHidden();
    await expect(more).toBeFocused();
    await expect(more).toHaveAttribute("aria-expanded", "false");
  }

  await more.press("Enter");
  await expect(menu).toBeVisible();
  await page.keyboard.press("ArrowDown");
  await expect(item("Refresh config")).toBeFocused();
  await page.keyboard.press("ArrowDown");
  await expect(item("Pause environment")).toBeFocused();
  await page.keyboard.press("ArrowUp");
  await expect(item("Refresh config")).toBeFocused();
  await page.keyboard.press("End");
  await expect(item("Project settings")).toBeFocused();
  await page.keyboard.press("Home");
  await expect(item("Run runtime operation")).toBeFocused();
  // Type-ahead: a letter jumps to the next item it starts.
  await page.keyboard.press("d");
  await expect(item("Delete environment")).toBeFocused();
  // Tab leaves the menu: it closes, and focus is on its button again.
  await page.keyboard.press("Tab");
  await expect(menu).toBeHidden();
  await expect(more).toBeFocused();
  // Nothing was chosen on the way.
  await expect(page.getByRole("dialog")).toHaveCount(0);
  await expect(page.getByText("This environment is paused")).toHaveCount(0);
});

test("the Run dialog is a form: arrows pick the operation, Enter runs it, Escape gives focus back to More", async ({
  asUser,
}) => {
  const page = await openFromHome(await asUser("viewer"), "staging");
  const more = page.getByRole("button", { name: "More" });
  const dialog = page.getByRole("dialog", { name: "Run runtime operation" });

  await more.press("Enter");
  await page.keyboard.press("Enter");
  await expect(dialog).toBeVisible();
  // A viewer: the first operation that may run has focus (clear-cache requires admin).
  const rebuild = dialog.getByRole("radio", { name: "clear-rebuild on storefront" });
  await expect(rebuild).toBeFocused();
  // Named by the operation only; the role and the command describe it.
  await expect(rebuild).toHaveAccessibleName("clear-rebuild on storefront");
  await expect(rebuild).toHaveAccessibleDescription(/^viewer set -e/);
  await expect(dialog.getByRole("radio", { name: "clear-cache on storefront" })).toHaveAccessibleDescription(
    "admin requires admin node scripts/clear-cache.mjs",
  );
  await page.keyboard.press("Escape");
  await expect(dialog).toBeHidden();
  await expect(more).toBeFocused();

  await more.press("ArrowDown");
  await page.keyboard.press("Enter");
  await expect(rebuild).toBeFocused();
  // Arrow keys move the choice, skipping operations this member may not run.
  await page.keyboard.press("ArrowDown");
  const ping = dialog.getByRole("radio", { name: "ping on storefront" });
  await expect(ping).toBeChecked();
  await expect(ping).toBeFocused();
  await page.keyboard.press("ArrowDown");
  const apiPing = dialog.getByRole("radio", { name: "ping on api" });
  await expect(apiPing).toBeChecked();
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/runs\/[0-9a-z]+$/);
  await expect(page.getByRole("heading", { name: /ping on api/ })).toBeVisible();
  await expect(page.getByTestId("run-state")).toHaveText("complete", { timeout: 30_000 });
});
