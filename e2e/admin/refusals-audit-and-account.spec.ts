import { expect, test } from "../fixtures";
import { addEnvironment, createProject, makeTarget, newPerson, signIn, uniqueId } from "./support";

test.use({ signedInAs: "root" });

test("a member's crafted POST of an admin action is refused, changes nothing, and shows in the audit log", async ({
  page,
  browser,
}) => {
  const target = makeTarget();
  const vic = await newPerson(browser, "Vic");
  try {
    const slug = await createProject(page, `Crafted Lab ${uniqueId()}`);
    await addEnvironment(page, slug, "prod", "production", target.dir);
    await page.goto(`/projects/${slug}/members`);
    const add = page.getByRole("form", { name: "Add an existing user" });
    await add.getByLabel("Email of the user").fill(vic.email);
    await add.getByRole("button", { name: "Add member" }).click();
    await expect(add.getByRole("status")).toContainText("was added");

    // Record the real request the console sends when the admin pauses the environment...
    await page.goto(`/projects/${slug}/settings`);
    const actions = page.getByRole("group", { name: "Actions on prod" });
    const recorded = page.waitForRequest(
      (r) => r.method() === "POST" && r.headers()["next-action"] !== undefined,
    );
    await actions.getByRole("button", { name: "Pause" }).click();
    const request = await recorded;
    await expect(actions.getByRole("status")).toHaveText("prod is paused: new runs are refused.");
    await actions.getByRole("button", { name: "Resume" }).click();
    await expect(actions.getByRole("status")).toHaveText("prod is active again.");

    // ...and replay it with the viewer's session, as someone poking at the endpoint from the
    // console's own origin would (from any other origin it would not get this far: cross-site.spec.ts).
    const headers = await request.allHeaders();
    const response = await vic.page.request.post(request.url(), {
      headers: {
        "next-action": headers["next-action"] ?? "",
        "content-type": headers["content-type"] ?? "",
        origin: headers["origin"] ?? "",
      },
      data: request.postDataBuffer() ?? Buffer.alloc(0),
    });
    const answer = await response.text();
    expect(answer).toContain("Not allowed: requires project admin");
    expect(answer).not.toContain("is paused");

    // Nothing changed...
    await page.reload();
    await expect(page.getByRole("row", { name: /prod/ }).getByText("active", { exact: true })).toBeVisible();
    // ...and the attempt is on record: who, what, from where.
    await page.goto(`/projects/${slug}/audit`);
    await page.getByLabel("Action").selectOption("access.denied");
    await page.getByLabel("Actor").selectOption(vic.email);
    await page.getByRole("button", { name: "Apply filters" }).click();
    await expect(page).toHaveURL(/action=access.denied/);
    const rows = page.getByRole("table", { name: "Audit events" }).getByRole("row");
    await expect(rows).toHaveCount(2);
    const denial = rows.nth(1);
    await expect(denial).toContainText(vic.email);
    await expect(denial).toContainText("environment");
    await expect(denial).toContainText("requires project admin");
    await expect(denial).toContainText("console");

    // The project's audit log itself is for admins only.
    await vic.page.goto(`/projects/${slug}/audit`);
    await expect(vic.page.getByText("Only project admins can read the audit log.")).toBeVisible();
    await expect(vic.page.getByRole("table", { name: "Audit events" })).toHaveCount(0);
  } finally {
    await vic.context.close();
    target.cleanup();
  }
});

test("audit log filters and pages: newest first, by action group and date", async ({ page }) => {
  const target = makeTarget();
  try {
    const slug = await createProject(page, `Audit Lab ${uniqueId()}`);
    await addEnvironment(page, slug, "qa", "staging", target.dir);
    await page.goto(`/projects/${slug}/settings`);
    const actions = page.getByRole("group", { name: "Actions on qa" });
    // 30 pause/resume events: more than one page of 50 with the creation events, once filtered less.
    for (let i = 0; i < 26; i++) {
      await actions.getByRole("button", { name: "Pause" }).click();
      await expect(actions.getByRole("button", { name: "Resume" })).toBeVisible();
      await actions.getByRole("button", { name: "Resume" }).click();
      await expect(actions.getByRole("button", { name: "Pause" })).toBeVisible();
    }
    await page.goto(`/projects/${slug}/audit`);
    const table = page.getByRole("table", { name: "Audit events" });
    await expect(table.getByRole("row")).toHaveCount(51);
    await expect(table.getByRole("row").nth(1)).toContainText("environment.resumed");
    await page.getByRole("link", { name: "Older events" }).click();
    // 52 pause/resume + created + deployed + project.created = 55: five on the second page, the oldest last.
    await expect(table.getByRole("row")).toHaveCount(6);
    await expect(table.getByRole("row").last()).toContainText("project.created");
    await expect(page.getByRole("link", { name: "Older events" })).toHaveCount(0);
    await page.getByRole("link", { name: "Newest events" }).click();
    await expect(table.getByRole("row").nth(1)).toContainText("environment.resumed");

    await page.getByLabel("Action").selectOption("project.*");
    await page.getByRole("button", { name: "Apply filters" }).click();
    await expect(table.getByRole("row")).toHaveCount(2);
    const today = new Date().toISOString().slice(0, 10);
    await page.getByLabel("From (UTC)").fill(today);
    await page.getByLabel("To (UTC, included)").fill(today);
    await page.getByRole("button", { name: "Apply filters" }).click();
    await expect(table.getByRole("row")).toHaveCount(2);
    await page.getByLabel("To (UTC, included)").fill("2001-01-01");
    await page.getByLabel("From (UTC)").fill("2000-01-01");
    await page.getByRole("button", { name: "Apply filters" }).click();
    await expect(table).toContainText("No events match.");
  } finally {
    target.cleanup();
  }
});

test("a user changes their password with the current one; failed sign-ins reach the instance audit log", async ({
  page,
  browser,
}) => {
  const walt = await newPerson(browser, "Walt");
  try {
    const p = walt.page;
    await p.getByRole("navigation", { name: "Account" }).getByRole("link", { name: "Account" }).click();
    await expect(p.getByRole("heading", { name: "Your account" })).toBeVisible();
    const form = p.getByRole("form", { name: "Change password" });
    await form.getByLabel("Current password").fill("not my password");
    await form.getByLabel("New password", { exact: true }).fill("walt-new-password");
    await form.getByLabel("New password again").fill("walt-new-password");
    await form.getByRole("button", { name: "Change password" }).click();
    await expect(form.getByRole("alert")).toHaveText("The current password is not correct");
    await expect(form.getByLabel("Current password")).toBeFocused();

    await form.getByLabel("Current password").fill(walt.password);
    await form.getByLabel("New password", { exact: true }).fill("walt-new-password");
    await form.getByLabel("New password again").fill("walt-new-password");
    await form.getByRole("button", { name: "Change password" }).click();
    await expect(form.getByRole("status")).toHaveText(
      "Your password was changed. Use it the next time you sign in.",
    );

    await p.getByRole("button", { name: "Sign out" }).click();
    await p.getByLabel("Email").fill(walt.email);
    await p.getByLabel("Password").fill(walt.password);
    await p.getByRole("button", { name: "Sign in" }).click();
    await expect(p.getByText("Wrong email or password.")).toBeVisible();
    await signIn(p, walt.email, "walt-new-password");
  } finally {
    await walt.context.close();
  }

  await page.goto("/admin/audit?action=auth.signin_failed");
  const failure = page
    .getByRole("table", { name: "Audit events" })
    .getByRole("row", { name: new RegExp(walt.email) });
  await expect(failure).toContainText("wrong password");
  await page.goto("/admin/audit?action=user.*");
  const table = page.getByRole("table", { name: "Audit events" });
  await expect(table.getByRole("row").filter({ hasText: "user.password_changed" })).toContainText(walt.email);
  await expect(table.getByRole("row").filter({ hasText: "user.password_change_failed" })).toContainText(
    walt.email,
  );

  // Instance administration can be handed over, and taken back (the last instance admin cannot be).
  await page.goto("/admin/users");
  const row = page.getByRole("row", { name: walt.email });
  await row.getByRole("button", { name: "Make instance admin" }).click();
  await expect(row.getByRole("status")).toHaveText(`${walt.email} is an instance admin.`);
  await row.getByRole("button", { name: "Revoke instance admin" }).click();
  await page
    .getByRole("dialog", { name: `Revoke instance admin from ${walt.email}?` })
    .getByRole("button", { name: "Revoke instance admin" })
    .click();
  await expect(row.getByRole("status")).toHaveText(`${walt.email} is no longer an instance admin.`);
  await expect(row.getByRole("button", { name: "Make instance admin" })).toBeVisible();
});
