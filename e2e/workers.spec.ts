import { expect, test } from "./fixtures";
import { openEnvironment } from "./helpers";

const RUNS = "/api/v1/projects/shop/environments/staging/runs";

test("the console's health answers without a session", async ({ request }) => {
  const res = await request.get("/api/health");
  expect(res.status()).toBe(200);
  expect(await res.json()).toEqual({ ok: true, database: "reachable" });
});

test.describe("as the demo admin", () => {
  test.use({ signedInAs: "admin" });

  test("a run triggered elsewhere appears in the open history, runs on the worker process, and the workers page shows it", async ({
    page,
  }) => {
    await page.goto("/");
    // npm start's worker runs commands as its own user: instance admins are warned.
    await expect(page.getByRole("alert").filter({ hasText: "RUNOPS_RUN_AS" })).toBeVisible();
    await openEnvironment(page, "staging");
    const runs = page.getByRole("table", { name: "Runs" });

    // Triggered through the API (as the CLI would): the history hears of it, no reload, no poll.
    const res = await page.request.post(RUNS, {
      data: { operation: "long-import" },
      headers: { origin: new URL(page.url()).origin },
    });
    expect(res.status()).toBe(202);
    const run = (await res.json()) as { id: string };
    const row = runs.getByRole("row").filter({ has: page.locator(`a[href="/runs/${run.id}"]`) });
    await expect(row).toContainText("in progress");

    await page.goto(`/runs/${run.id}`);
    // The run was claimed by the worker process, not the console.
    await expect(page.getByTestId("run-worker")).toContainText(/\(pid \d+ on .+\)/);
    const workerLabel = (await page.getByTestId("run-worker").textContent()) ?? "";
    const pid = /pid (\d+)/.exec(workerLabel)?.[1];

    await page.goto("/admin/workers");
    const workers = page.getByRole("table", { name: "Workers" });
    const worker = workers.getByRole("row", { name: new RegExp(`pid ${pid}$`) });
    await expect(worker).toContainText("live");
    await expect(worker).toContainText("the worker's own user");
    await expect(worker.getByRole("link", { name: "long-import on storefront" })).toBeVisible();

    await page.goto(`/runs/${run.id}`);
    await page.getByRole("button", { name: "Cancel" }).click();
    // State changes arrive over the log's stream.
    await expect(page.getByTestId("run-state")).toHaveText("cancelled", { timeout: 20_000 });
    await expect(page.getByTestId("run-reason")).toContainText("cancelled by Ada Admin");
  });
});
