import { expect, test } from "../fixtures";
import { EMPTY_BASE_URL, fillAccount, uniqueId } from "./support";

test.describe("an instance that enables sign-up", () => {
  test.use({ baseURL: EMPTY_BASE_URL });

  test("self sign-up makes an account without any project", async ({ page, sessions }) => {
    // Sign-up opens once the instance has its first admin (which this makes sure of).
    await sessions.storageState("root");
    const email = `solo-${uniqueId()}@example.com`;
    await page.goto("/signin");
    await page.getByRole("link", { name: "Create one" }).click();
    await fillAccount(page, "Solo Person", email, "solo-password-1");
    await page.getByRole("button", { name: "Create account" }).click();
    await expect(page.getByRole("heading", { name: "Projects" })).toBeVisible();
    await expect(page.getByLabel("Signed in as")).toHaveText("Solo Person");
    await expect(page.getByText("You are not a member of any project yet")).toBeVisible();
    await expect(page.getByRole("link", { name: "Admin" })).toHaveCount(0);
    expect((await page.goto("/admin"))?.status()).toBe(404);
  });
});

test.describe("an instance with the demo seeded (npm start)", () => {
  test("has no first-start page and no self sign-up by default", async ({ page }) => {
    expect((await page.goto("/setup"))?.status()).toBe(404);
    expect((await page.goto("/signup"))?.status()).toBe(404);
    await page.goto("/signin");
    await expect(page.getByRole("heading", { name: "Sign in to runops" })).toBeVisible();
    await expect(page.getByRole("link", { name: "Create one" })).toHaveCount(0);
  });
});
