import { expect, test } from "./fixtures";

test.use({ signedInAs: "dev" });

test("an unknown page or run answers 404 with a page that says so and leads back; tabs have the console's title and icon", async ({
  page,
}) => {
  await page.goto("/");
  await expect(page).toHaveTitle("runops");
  await expect(page.locator('link[rel="icon"]')).toHaveAttribute("href", /favicon\.svg/);
  const icon = await page.request.get("/favicon.svg");
  expect(icon.status()).toBe(200);
  expect(icon.headers()["content-type"]).toContain("image/svg+xml");

  // Pages name what they show, so that tabs and history can be told apart.
  await page.goto("/projects/shop");
  const project = (await page.getByRole("heading", { level: 1 }).textContent())?.trim() ?? "";
  await expect(page).toHaveTitle(`${project} · runops`);
  await page.goto("/projects/shop/environments/main");
  await expect(page).toHaveTitle(`main · ${project} · runops`);

  for (const path of ["/runs/no-such-run", "/projects/no-such-project", "/no/such/page"]) {
    const res = await page.goto(path);
    expect(res?.status()).toBe(404);
    await expect(page.getByRole("heading", { name: "Not found" })).toBeVisible();
  }
  await page.getByRole("link", { name: "Back to your projects" }).click();
  await expect(page).toHaveURL(/\/$/);
});
