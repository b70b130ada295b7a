import { expect, test } from "./fixtures";
import { CONFIG, addEnvironment, createProject, makeTarget, uniqueId } from "./admin/support";
import { openEnvironment } from "./helpers";

const runUrl = /\/runs\/([0-9a-z]+)$/;
const runIdOf = (url: string) => runUrl.exec(url)?.[1] ?? "";

test("a finished run has Run again: the same operation on the same target, linked to the run it repeats", async ({
  asUser,
}) => {
  const page = await asUser("dev");
  await page.goto("/");
  await openEnvironment(page, "staging");
  await page
    .getByRole("table", { name: "Operations" })
    .getByRole("button", { name: "Run long-import on storefront" })
    .click();
  await page
    .getByRole("dialog", { name: "Run runtime operation" })
    .getByRole("button", { name: "Run" })
    .click();
  await expect(page).toHaveURL(runUrl);
  const firstId = runIdOf(page.url());
  const log = page.getByRole("log", { name: "Run log" });
  await expect(log.getByText("importing batch 1/120")).toBeVisible();
  // Not while it runs: Run again is for a finished run.
  await expect(page.getByRole("button", { name: "Run again" })).toHaveCount(0);
  await expect(page.getByText("Repeats")).toHaveCount(0);

  await page.getByRole("button", { name: "Cancel" }).click();
  await expect(page.getByTestId("run-state")).toHaveText("cancelled", { timeout: 30_000 });
  await page.getByRole("button", { name: "Run again" }).click();

  await expect(page).not.toHaveURL(new RegExp(`/runs/${firstId}$`));
  await expect(page).toHaveURL(runUrl);
  const againId = runIdOf(page.url());
  await expect(page.getByRole("heading", { name: /long-import on storefront/ })).toBeVisible();
  await expect(page.getByTestId("run-trigger")).toHaveText("Dev Contributor via console");
  await expect(log.getByText("importing batch 1/120")).toBeVisible();
  const repeats = page.getByRole("link", { name: `run ${firstId}` });
  await expect(repeats).toHaveAttribute("href", `/runs/${firstId}`);
  // The API shows the link too.
  const shown = await page.request.get(`/api/v1/runs/${againId}`);
  expect(await shown.json()).toMatchObject({ id: againId, operation: "long-import", repeatOf: firstId });

  await page.getByRole("button", { name: "Cancel" }).click();
  await expect(page.getByTestId("run-state")).toHaveText("cancelled", { timeout: 30_000 });
  await repeats.click();
  await expect(page).toHaveURL(new RegExp(`/runs/${firstId}$`));
  await expect(page.getByText("Repeats")).toHaveCount(0);

  // Both are in the environment's history.
  await page.getByRole("link", { name: "staging" }).click();
  const rows = page.getByRole("table", { name: "Runs" }).getByRole("row");
  await expect(rows.nth(1)).toContainText("long-import");
  await expect(rows.nth(2)).toContainText("long-import");
});

test("Run again is disabled, with the reason, for a member whose role does not allow the operation", async ({
  asUser,
}) => {
  // The admin runs an admin-only operation...
  const page = await asUser("admin");
  await page.goto("/");
  await openEnvironment(page, "feature-search");
  await page
    .getByRole("table", { name: "Operations" })
    .getByRole("button", { name: "Run clear-cache on storefront" })
    .click();
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(runUrl);
  await expect(page.getByTestId("run-state")).toHaveText("complete", { timeout: 30_000 });
  await expect(page.getByRole("button", { name: "Run again" })).toBeEnabled();
  const url = page.url();

  // ...which a viewer may look at, not run again.
  const viewer = await asUser("viewer");
  await viewer.goto(url);
  await expect(viewer.getByTestId("run-state")).toHaveText("complete");
  const again = viewer.getByRole("button", { name: "Run again" });
  await expect(again).toBeDisabled();
  await expect(again).toHaveAccessibleDescription("requires admin");
});

test.describe("on an environment whose config changed", () => {
  test.use({ signedInAs: "root" });

  test("Run again of an operation the current deployment no longer has says so and starts nothing", async ({
    page,
  }) => {
    const target = makeTarget();
    try {
      const slug = await createProject(page, `Again Lab ${uniqueId()}`);
      await addEnvironment(page, slug, "review", "development", target.dir);
      await page.goto(`/projects/${slug}/environments/review`);
      await page.getByRole("button", { name: "Run hello on web" }).click();
      await page.keyboard.press("Enter");
      await expect(page).toHaveURL(runUrl);
      await expect(page.getByTestId("run-state")).toHaveText("complete", { timeout: 30_000 });
      const again = page.getByRole("button", { name: "Run again" });
      await expect(again).toBeEnabled();

      // Meanwhile, in another tab, hello leaves the config.
      target.write(CONFIG.replace(/ {6}hello:\n.*\n.*\n.*\n/, ""));
      const other = await page.context().newPage();
      await other.goto(`/projects/${slug}/environments/review`);
      await other.getByRole("button", { name: "More" }).click();
      await other.getByRole("menuitem", { name: "Refresh config" }).click();
      await expect(other.getByRole("status").filter({ hasText: "Config refreshed" })).toHaveText(
        "Config refreshed: 3 operations.",
      );
      await other.close();

      // The page still offers it; the server refuses, saying why.
      await again.click();
      await expect(page.getByRole("main").getByRole("alert")).toHaveText(
        "hello on web is no longer in review's current deployment: nothing was started",
      );
      await page.reload();
      await expect(page.getByRole("button", { name: "Run again" })).toBeDisabled();
      await expect(page.getByRole("button", { name: "Run again" })).toHaveAccessibleDescription(
        "no longer in the current deployment",
      );
      const runs = await page.request.get(`/api/v1/projects/${slug}/environments/review/runs`);
      expect(((await runs.json()) as { runs: unknown[] }).runs).toHaveLength(1);
    } finally {
      target.cleanup();
    }
  });
});
