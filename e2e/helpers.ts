import { type Page, expect } from "@playwright/test";

export { PASSWORD, signIn } from "./support/accounts";

export async function openEnvironment(page: Page, env: string) {
  await page.getByRole("link", { name: "Demo Shop" }).click();
  await page.getByRole("link", { name: env, exact: true }).click();
  await expect(page.getByRole("heading", { name: env, level: 1 })).toBeVisible();
}

export async function openRunDialog(page: Page) {
  await page.getByRole("button", { name: "More" }).click();
  await page.getByRole("menuitem", { name: "Run runtime operation" }).click();
  const dialog = page.getByRole("dialog", { name: "Run runtime operation" });
  await expect(dialog).toBeVisible();
  return dialog;
}

/** The radio of an operation in the dialog, e.g. ("clear-cache", "storefront"). */
export function operationRadio(page: Page, name: string, app: string) {
  return page.getByRole("radio", { name: new RegExp(`^${name} on ${app}\\b`) });
}
