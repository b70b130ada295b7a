import { expect, test } from "../fixtures";
import { EMPTY_BASE_URL, ROOT, fillAccount, signIn } from "./support";

/**
 * The setup project of the suite (playwright.config.ts): runs once, before
 * every spec, on the empty server's fresh database, since a first start can
 * only happen there first. The specs then sign in as the admin it creates.
 */
test.describe("first start on an empty database", () => {
  test.use({ baseURL: EMPTY_BASE_URL });

  test("every page leads to /setup, which creates the instance admin, signs in, then closes", async ({
    page,
  }) => {
    // No account at all: the console, the sign-in page and any deep link ask for the first admin.
    for (const path of ["/", "/signin", "/projects/anything", "/admin"]) {
      await page.goto(path);
      await expect(page).toHaveURL(/\/setup$/);
    }
    await expect(page.getByRole("heading", { name: "Welcome to runops" })).toBeVisible();

    // A refused submission says what is wrong next to the field and keeps what was typed.
    await fillAccount(page, ROOT.name, ROOT.email, "short");
    await page.getByRole("button", { name: "Create administrator account" }).click();
    const password = page.getByLabel("Password", { exact: true });
    await expect(page.getByText("Use at least 10 characters")).toBeVisible();
    await expect(password).toHaveAttribute("aria-invalid", "true");
    await expect(password).toBeFocused();
    await expect(page.getByLabel("Your name")).toHaveValue(ROOT.name);
    await expect(page.getByLabel("Email")).toHaveValue(ROOT.email);

    await password.fill(ROOT.password);
    await page.getByLabel("Password again").fill("not the same password");
    await page.getByRole("button", { name: "Create administrator account" }).click();
    await expect(page.getByText("The passwords do not match")).toBeVisible();

    await password.fill(ROOT.password);
    await page.getByLabel("Password again").fill(ROOT.password);
    await page.getByRole("button", { name: "Create administrator account" }).click();

    // Signed in at once, as instance admin.
    await expect(page.getByRole("heading", { name: "Projects" })).toBeVisible();
    await expect(page.getByLabel("Signed in as")).toHaveText(ROOT.name);
    await expect(page.getByRole("link", { name: "New project" })).toBeVisible();
    await page.getByRole("navigation", { name: "Account" }).getByRole("link", { name: "Admin" }).click();
    await expect(page.getByRole("table", { name: "All projects" })).toContainText("No project yet");

    // Once an account exists, /setup is gone, for everybody.
    const setup = await page.goto("/setup");
    expect(setup?.status()).toBe(404);
    await page.goto("/");
    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page.getByRole("heading", { name: "Sign in to runops" })).toBeVisible();
    expect((await page.goto("/setup"))?.status()).toBe(404);

    // The first start is on the instance audit log.
    await signIn(page, ROOT.email, ROOT.password);
    await page.goto("/admin/audit");
    await expect(
      page
        .getByRole("table", { name: "Audit events" })
        .getByRole("row")
        .filter({ hasText: "instance.setup" }),
    ).toContainText(ROOT.email);
  });
});
