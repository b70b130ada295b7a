import { expect, test } from "./fixtures";
import { openEnvironment, openRunDialog, operationRadio } from "./helpers";

test("an admin runs an operation from the More menu, watches its log arrive, then finds it in history", async ({
  asUser,
}) => {
  const page = await asUser("admin");
  await page.goto("/");
  await openEnvironment(page, "staging");
  const dialog = await openRunDialog(page);
  // Each operation shows its command: a preview of what will run.
  await expect(dialog.getByText("node scripts/build-site.mjs")).toBeVisible();
  await operationRadio(page, "clear-rebuild", "storefront").check();
  await dialog.getByRole("button", { name: "Run" }).click();

  await expect(page).toHaveURL(/\/runs\/[0-9a-z]+$/);
  await expect(page.getByRole("heading", { name: /clear-rebuild on storefront/ })).toBeVisible();
  const log = page.getByRole("log", { name: "Run log" });
  // A line is on screen while the run is still in progress: the log is live.
  await expect(log.getByText("built page-1.html")).toBeVisible();
  await expect(page.getByTestId("run-state")).toHaveText("in progress");
  // ANSI colour shows as colour, not as escape codes.
  const counter = log.getByText("[1/6]");
  await expect(counter).toHaveCSS("color", "rgb(17, 168, 205)");
  await expect(log).not.toContainText("\u001b[");

  await expect(page.getByTestId("run-state")).toHaveText("complete", { timeout: 30_000 });
  await expect(page.getByTestId("run-result")).toHaveText("success");
  await expect(page.getByTestId("run-exit")).toHaveText("0");
  await expect(log.getByText("6 pages written to public/")).toBeVisible();
  await expect(page.getByTestId("run-trigger")).toHaveText("Ada Admin via console");

  await page.getByRole("link", { name: "staging" }).click();
  const runs = page.getByRole("table", { name: "Runs" });
  const first = runs.getByRole("row").nth(1);
  await expect(first).toContainText("clear-rebuild");
  await expect(first).toContainText("success");
  await expect(first).toContainText("Ada Admin");

  await page.getByLabel("Who").selectOption({ label: "Ada Admin" });
  await expect(first).toContainText("clear-rebuild");
  const whoCells = runs.getByRole("row").locator("td:nth-child(5)");
  for (const cell of await whoCells.all()) await expect(cell).toHaveText("Ada Admin");
  await page.getByLabel("Who").selectOption({ label: "Anyone" });

  // The filter shows only the chosen operation (other suites may have run ping here).
  await page.getByLabel("Operation", { exact: true }).selectOption("ping");
  await expect(runs.getByRole("link", { name: "clear-rebuild" })).toHaveCount(0);
  for (const cell of await runs.getByRole("row").locator("td:first-child").all()) {
    await expect(cell).toHaveText(/^(ping|No runs match\.)$/);
  }
  await page.getByLabel("Operation", { exact: true }).selectOption("clear-rebuild");
  await first.getByRole("link", { name: "clear-rebuild" }).click();
  await expect(
    page.getByRole("log", { name: "Run log" }).getByText("6 pages written to public/"),
  ).toBeVisible();
});

test("a viewer sees an admin operation disabled, and a crafted server-action POST for it is refused", async ({
  asUser,
}) => {
  const page = await asUser("viewer");
  await page.goto("/");
  await openEnvironment(page, "main");
  const dialog = await openRunDialog(page);
  await expect(operationRadio(page, "clear-cache", "storefront")).toBeDisabled();
  await expect(dialog.getByText("requires admin").first()).toBeVisible();
  await expect(operationRadio(page, "ping", "storefront")).toBeEnabled();

  // Record the real action call the console makes for an operation the viewer may run...
  const actionRequest = page.waitForRequest(
    (r) => r.method() === "POST" && r.headers()["next-action"] !== undefined,
  );
  await operationRadio(page, "ping", "storefront").check();
  await dialog.getByRole("button", { name: "Run" }).click();
  const recorded = await actionRequest;
  await expect(page).toHaveURL(/\/runs\//);
  const body = recorded.postData() ?? "";
  expect(body).toContain('"operation":"ping"');

  // ...then replay it for the admin-only operation, as an attacker in their own console would.
  const crafted = body.replace('"operation":"ping"', '"operation":"clear-cache"');
  const headers = await recorded.allHeaders();
  const response = await page.request.post(recorded.url(), {
    headers: {
      "next-action": headers["next-action"] ?? "",
      "content-type": headers["content-type"] ?? "text/plain",
      origin: headers["origin"] ?? "",
    },
    data: crafted,
  });
  const text = await response.text();
  expect(text).toContain("requires admin");
  expect(text).not.toContain("runId");

  // Nothing ran: the history has no clear-cache run.
  await page.goto("/projects/shop/environments/main");
  await page.getByLabel("Operation", { exact: true }).selectOption("clear-cache");
  await expect(page.getByRole("table", { name: "Runs" }).getByText("No runs match.")).toBeVisible();
});

test("a contributor cancels a long run", async ({ asUser }) => {
  const page = await asUser("dev");
  await page.goto("/");
  await openEnvironment(page, "staging");
  const dialog = await openRunDialog(page);
  await operationRadio(page, "long-import", "storefront").check();
  await dialog.getByRole("button", { name: "Run" }).click();
  const log = page.getByRole("log", { name: "Run log" });
  await expect(log.getByText("importing batch 1/120")).toBeVisible();
  await expect(page.getByTestId("run-state")).toHaveText("in progress");

  await page.getByRole("button", { name: "Cancel" }).click();
  await expect(page.getByTestId("run-state")).toHaveText("cancelled", { timeout: 30_000 });
  await expect(page.getByTestId("run-result")).toHaveText("failure");
  await expect(page.getByTestId("run-reason")).toContainText("cancelled by Dev Contributor");
  await expect(log.getByText("stop requested: finishing the current batch")).toBeVisible();
  await expect(page.getByRole("button", { name: "Cancel" })).toHaveCount(0);
});
