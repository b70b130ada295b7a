import { expect, test } from "../fixtures";
import { CONFIG, addEnvironment, createProject, makeTarget, uniqueId } from "./support";

test.use({ signedInAs: "root" });

test("an instance admin creates a project and renames it; a taken slug is a field error", async ({
  page,
}) => {
  const id = uniqueId();
  await page.goto("/");
  await page.getByRole("link", { name: "New project" }).click();
  const name = page.getByLabel("Name", { exact: true });
  const slug = page.getByLabel("Slug");
  await name.fill(`Acme Store ${id}`);
  // The slug follows the name until it is edited.
  await expect(slug).toHaveValue(`acme-store-${id}`);
  await page.getByRole("button", { name: "Create project" }).click();
  await expect(page.getByText("Project created; you are its admin.")).toBeVisible();
  await expect(page).toHaveURL(new RegExp(`/projects/acme-store-${id}/settings\\?created=1$`));

  await page.getByLabel("Project name").fill(`Acme Online Store ${id}`);
  await page.getByRole("button", { name: "Rename project" }).click();
  await expect(
    page.getByRole("status").filter({ hasText: `The project is now called Acme Online Store ${id}.` }),
  ).toBeVisible();
  await expect(page.getByRole("heading", { name: `Acme Online Store ${id}`, level: 1 })).toBeVisible();

  await page.goto("/admin/projects/new");
  await name.fill("Acme again");
  await slug.fill(`acme-store-${id}`);
  await page.getByRole("button", { name: "Create project" }).click();
  await expect(page.getByRole("main").getByRole("alert")).toHaveText(
    `Another project already uses the slug "acme-store-${id}"`,
  );
  // The error is tied to its field for screen readers, and focus is there to fix it.
  await expect(slug).toHaveAttribute("aria-invalid", "true");
  await expect(slug).toHaveAccessibleDescription(
    new RegExp(`Another project already uses the slug "acme-store-${id}"`),
  );
  await expect(slug).toBeFocused();
  await expect(name).toHaveValue("Acme again");
  await expect(slug).toHaveValue(`acme-store-${id}`);

  await page.goto("/admin");
  const row = page
    .getByRole("table", { name: "All projects" })
    .getByRole("row", { name: new RegExp(`Acme Online Store ${id}`) });
  await expect(row).toContainText("root@example.com");
});

test("environments: add and deploy (operations or the config error), refresh, pause and resume", async ({
  page,
}) => {
  const broken = makeTarget(CONFIG.replace("role: viewer", "role: owner"));
  const good = makeTarget();
  try {
    const slug = await createProject(page, `Env Lab ${uniqueId()}`);

    const refused = await addEnvironment(page, slug, "review", "development", broken.dir);
    await expect(refused).toContainText("its config was refused");
    await expect(refused.locator("pre")).toHaveText(
      '.upsun/config.yaml:8:15 applications.web.operations.hello.role: expected viewer, contributor or admin, got "owner"',
    );

    // A relative directory never reaches the server's disk: a field error, what was typed kept.
    await page.goto(`/projects/${slug}/settings/environments/new`);
    const form = page.getByRole("form", { name: "New environment" });
    await form.getByLabel("Name").fill("staging");
    await form.getByLabel("Directory", { exact: true }).fill("srv/shop");
    await form.getByRole("button", { name: "Add and deploy" }).click();
    await expect(form.getByText("Use an absolute path, e.g. /srv/shop")).toBeVisible();
    await expect(form.getByLabel("Name")).toHaveValue("staging");

    const ok = await addEnvironment(page, slug, "staging", "staging", good.dir);
    await expect(ok).toContainText("4 operations found");
    await expect(ok.getByRole("list", { name: "Operations found" })).toContainText("purge on web admin");

    // Fix the refused one on disk, then refresh it from the settings page.
    broken.write(CONFIG);
    await page.goto(`/projects/${slug}/settings`);
    const review = page.getByRole("group", { name: "Actions on review" });
    await expect(page.getByRole("row", { name: /review/ })).toContainText("never deployed");
    await review.getByRole("button", { name: "Refresh config" }).click();
    await expect(review.getByRole("status")).toHaveText("Config refreshed: 4 operations.");
    await expect(page.getByRole("row", { name: /review/ })).toContainText("4 operations");

    // Pause from the environment's More menu: runs are refused, with the reason, until it resumes.
    await page.goto(`/projects/${slug}/environments/staging`);
    await page.getByRole("button", { name: "More" }).click();
    await page.getByRole("menuitem", { name: "Pause environment" }).click();
    await expect(page.getByText("This environment is paused: new runs are refused")).toBeVisible();
    await page.getByRole("button", { name: "More" }).click();
    await page.getByRole("menuitem", { name: "Run runtime operation" }).click();
    const dialog = page.getByRole("dialog", { name: "Run runtime operation" });
    await expect(dialog.getByRole("radio", { name: /^hello on web/ })).toBeDisabled();
    await expect(dialog.getByText("environment is paused").first()).toBeVisible();
    await dialog.getByRole("button", { name: "Cancel" }).click();

    // Keyboard: the menu opens on the button, arrows move, Escape closes and gives focus back.
    const more = page.getByRole("button", { name: "More" });
    await more.focus();
    await page.keyboard.press("Enter");
    await expect(page.getByRole("menuitem", { name: "Run runtime operation" })).toBeFocused();
    await page.keyboard.press("ArrowDown");
    await expect(page.getByRole("menuitem", { name: "Refresh config" })).toBeFocused();
    await page.keyboard.press("ArrowDown");
    await expect(page.getByRole("menuitem", { name: "Resume environment" })).toBeFocused();
    await page.keyboard.press("Escape");
    await expect(more).toBeFocused();

    await page.goto(`/projects/${slug}/settings`);
    await page
      .getByRole("group", { name: "Actions on staging" })
      .getByRole("button", { name: "Resume" })
      .click();
    await expect(
      page.getByRole("row", { name: /staging/ }).getByText("active", { exact: true }),
    ).toBeVisible();

    await page.goto(`/projects/${slug}/audit?action=environment.*`);
    const events = page.getByRole("table", { name: "Audit events" });
    for (const action of [
      "environment.created",
      "environment.deploy_refused",
      "environment.deployed",
      "environment.paused",
      "environment.resumed",
    ]) {
      await expect(events.getByText(action, { exact: true }).first()).toBeVisible();
    }
  } finally {
    broken.cleanup();
    good.cleanup();
  }
});

test("deleting an environment is refused while a run is active; afterwards its history stays reachable", async ({
  page,
}) => {
  const target = makeTarget();
  try {
    const slug = await createProject(page, `Delete Lab ${uniqueId()}`);
    await addEnvironment(page, slug, "temp", "development", target.dir);

    await page.goto(`/projects/${slug}/environments/temp`);
    await page.getByRole("button", { name: "More" }).click();
    await page.getByRole("menuitem", { name: "Run runtime operation" }).click();
    await page.getByRole("radio", { name: /^wait on web/ }).check();
    await page
      .getByRole("dialog", { name: "Run runtime operation" })
      .getByRole("button", { name: "Run" })
      .click();
    await expect(page.getByTestId("run-state")).toHaveText("in progress");
    const runUrl = page.url();

    await page.goto(`/projects/${slug}/settings`);
    await page
      .getByRole("group", { name: "Actions on temp" })
      .getByRole("button", { name: "Delete" })
      .click();
    const confirm = page.getByRole("dialog", { name: "Delete temp?" });
    await expect(confirm).toBeVisible();
    await expect(confirm.getByRole("button", { name: "Cancel" })).toBeFocused();
    await confirm.getByRole("button", { name: "Delete environment" }).click();
    await expect(
      page.getByText("1 run is pending or in progress on temp: cancel it or wait for the end, then delete"),
    ).toBeVisible();
    await expect(page.getByRole("link", { name: "temp", exact: true })).toBeVisible();

    await page.goto(runUrl);
    await page.getByRole("button", { name: "Cancel" }).click();
    await expect(page.getByTestId("run-state")).toHaveText("cancelled", { timeout: 30_000 });

    // From the environment's own menu this time.
    await page.goto(`/projects/${slug}/environments/temp`);
    await page.getByRole("button", { name: "More" }).click();
    await page.getByRole("menuitem", { name: "Delete environment" }).click();
    await page
      .getByRole("dialog", { name: "Delete temp?" })
      .getByRole("button", { name: "Delete environment" })
      .click();
    await expect(page).toHaveURL(new RegExp(`/projects/${slug}$`));
    await expect(page.getByRole("link", { name: "temp", exact: true })).toHaveCount(0);

    await page.goto(`/projects/${slug}/settings`);
    const kept = page.getByRole("table", { name: "Deleted environments" });
    await expect(kept.getByRole("row", { name: /temp/ })).toContainText("development");
    await kept.getByRole("link", { name: "1 run" }).click();
    await expect(page.getByRole("heading", { name: /temp/, level: 1 })).toContainText("deleted");
    await page.getByRole("table", { name: "Runs" }).getByRole("link", { name: "wait" }).click();
    await expect(page).toHaveURL(runUrl);
    await expect(page.getByRole("log", { name: "Run log" }).getByText("waiting")).toBeVisible();

    // The name is free again.
    const again = await addEnvironment(page, slug, "temp", "development", target.dir);
    await expect(again).toContainText("4 operations found");
  } finally {
    target.cleanup();
  }
});
