import { expect, newWatchedContext, test } from "../fixtures";
import {
  EMPTY_BASE_URL,
  ROOT,
  addEnvironment,
  createProject,
  fillAccount,
  makeTarget,
  newPerson,
  uniqueId,
} from "./support";

test.use({ signedInAs: "root" });

test("a role change applies on the member's next request, without signing out", async ({ page, browser }) => {
  const target = makeTarget();
  const bob = await newPerson(browser, "Bob");
  try {
    const slug = await createProject(page, `Roles Lab ${uniqueId()}`);
    await addEnvironment(page, slug, "dev", "development", target.dir);

    // Add Bob as a viewer with no role on development environments. A typo first: a field error.
    await page.goto(`/projects/${slug}/members`);
    const add = page.getByRole("form", { name: "Add an existing user" });
    await add.getByLabel("Email of the user").fill("nobody@example.com");
    await add.getByRole("button", { name: "Add member" }).click();
    await expect(
      add.getByText("No account uses nobody@example.com: create an invitation link for them instead").first(),
    ).toBeVisible();
    await expect(add.getByLabel("Email of the user")).toHaveValue("nobody@example.com");
    await expect(add.getByLabel("Email of the user")).toBeFocused();
    await add.getByLabel("Email of the user").fill(bob.email);
    await add.getByLabel("Development").selectOption("none");
    await add.getByRole("button", { name: "Add member" }).click();
    await expect(add.getByRole("status")).toContainText(
      `${bob.email} was added as viewer (production:viewer, staging:contributor)`,
    );
    const bobRow = page
      .getByRole("table", { name: "Members" })
      .getByRole("row", { name: new RegExp(bob.email) });
    await expect(bobRow).toContainText("viewer");

    // Bob sees the project, not its development environment.
    await bob.page.goto(`/projects/${slug}`);
    await expect(
      bob.page.getByText("You have no role on any environment of this project yet."),
    ).toBeVisible();
    expect((await bob.page.goto(`/projects/${slug}/environments/dev`))?.status()).toBe(404);

    // The admin makes Bob a contributor on development.
    await page.goto(`/projects/${slug}/members`);
    await page.getByRole("link", { name: `Edit roles of ${bob.email}` }).click();
    const roles = page.getByRole("form", { name: `Roles of ${bob.email}` });
    await roles.getByLabel("Development").selectOption("contributor");
    await roles.getByRole("button", { name: "Save roles" }).click();
    await expect(roles.getByRole("status")).toContainText(
      "Roles saved: viewer (production:viewer, staging:contributor, development:contributor)",
    );

    // Bob's very next request, same session: the environment is there, contributor operations run.
    await bob.page.goto(`/projects/${slug}`);
    await bob.page.getByRole("link", { name: "dev", exact: true }).click();
    await expect(bob.page.getByText("Your role here:")).toContainText("contributor");
    await bob.page.getByRole("button", { name: "More" }).click();
    await bob.page.getByRole("menuitem", { name: "Run runtime operation" }).click();
    await expect(bob.page.getByRole("radio", { name: /^build on web/ })).toBeEnabled();
    await expect(bob.page.getByRole("radio", { name: /^purge on web/ })).toBeDisabled();

    // Taken away again: his next request no longer finds it.
    await roles.getByLabel("Development").selectOption("none");
    await roles.getByRole("button", { name: "Save roles" }).click();
    await expect(roles.getByRole("status")).toContainText("Roles saved");
    expect((await bob.page.reload())?.status()).toBe(404);

    await page.goto(`/projects/${slug}/audit?action=member.*`);
    const events = page.getByRole("table", { name: "Audit events" });
    await expect(events.getByRole("row").filter({ hasText: "member.role_changed" })).toHaveCount(2);
    await expect(events.getByRole("row").filter({ hasText: "member.added" })).toContainText(bob.email);
  } finally {
    await bob.context.close();
    target.cleanup();
  }
});

test("the last project admin can be neither demoted nor removed", async ({ page, browser }) => {
  const slug = await createProject(page, `Last Admin Lab ${uniqueId()}`);
  await page.goto(`/projects/${slug}/members`);
  await page.getByRole("link", { name: `Edit roles of ${ROOT.email}` }).click();
  const roles = page.getByRole("form", { name: `Roles of ${ROOT.email}` });
  await roles.getByRole("radio", { name: /^Viewer/ }).check();
  await roles.getByRole("button", { name: "Save roles" }).click();
  await expect(roles.getByRole("alert")).toHaveText(
    "This member is the project's last admin: make another member admin before changing their role",
  );
  // What was chosen is still chosen, to fix or abandon.
  await expect(roles.getByRole("radio", { name: /^Viewer/ })).toBeChecked();

  await page.getByRole("button", { name: "Leave project" }).click();
  const dialog = page.getByRole("dialog", { name: "Leave this project?" });
  await dialog.getByRole("button", { name: "Leave project" }).click();
  await expect(dialog).toBeHidden();
  await expect(
    page.getByRole("main").getByRole("alert").filter({ hasText: "before removing them" }),
  ).toHaveText("This member is the project's last admin: make another member admin before removing them");
  // Focus is back on the button that opened the dialog.
  await expect(page.getByRole("button", { name: "Leave project" })).toBeFocused();

  // With a second admin, stepping down works.
  const dee = await newPerson(browser, "Dee");
  try {
    await page.goto(`/projects/${slug}/members`);
    const add = page.getByRole("form", { name: "Add an existing user" });
    await add.getByLabel("Email of the user").fill(dee.email);
    await add.getByRole("radio", { name: /^Admin/ }).check();
    await add.getByRole("button", { name: "Add member" }).click();
    await expect(add.getByRole("status")).toContainText("was added as admin");
    await page.getByRole("link", { name: `Edit roles of ${ROOT.email}` }).click();
    await roles.getByRole("radio", { name: /^Viewer/ }).check();
    await roles.getByLabel("Production").selectOption("admin");
    await roles.getByRole("button", { name: "Save roles" }).click();
    // No longer an admin of this project: back to its member list, read-only now.
    await expect(page).toHaveURL(new RegExp(`/projects/${slug}/members$`));
    const me = page
      .getByRole("table", { name: "Members" })
      .getByRole("row", { name: new RegExp(ROOT.email) });
    await expect(me).toContainText("viewer");
    await expect(me).toContainText("admin");
    await expect(page.getByRole("link", { name: /^Edit roles of/ })).toHaveCount(0);
    await expect(page.getByRole("form", { name: "Add an existing user" })).toHaveCount(0);
  } finally {
    await dee.context.close();
  }
});

test("an invitation link creates the account, adds it with its roles, and works once", async ({
  page,
  browser,
}) => {
  const project = `Invite Lab ${uniqueId()}`;
  const carolEmail = `carol-${uniqueId()}@example.com`;
  const slug = await createProject(page, project);
  await page.goto(`/projects/${slug}/members`);
  const invite = page.getByRole("form", { name: "Create an invitation link" });
  await invite.getByLabel("Only for this email (optional)").fill(carolEmail);
  await invite.getByLabel("Staging").selectOption("viewer");
  await invite.getByLabel("Expires after (days)").fill("40");
  await invite.getByRole("button", { name: "Create invitation link" }).click();
  await expect(invite.getByText("At most 30 days")).toBeVisible();
  await expect(invite.getByLabel("Only for this email (optional)")).toHaveValue(carolEmail);
  await invite.getByLabel("Expires after (days)").fill("2");
  await invite.getByRole("button", { name: "Create invitation link" }).click();
  const link = invite.getByLabel("Invitation link (shown once)");
  await expect(link).toHaveValue(/\/invitations\/inv_[A-Za-z0-9_-]{43}$/);
  const url = await link.inputValue();
  await expect(
    page
      .getByRole("table", { name: "Pending invitations" })
      .getByRole("row", { name: new RegExp(carolEmail) }),
  ).toContainText("viewer (production:viewer, staging:viewer, development:contributor)");

  const carol = await newWatchedContext(browser, { baseURL: EMPTY_BASE_URL });
  try {
    const p = await carol.newPage();
    await p.goto(url);
    await expect(p.getByRole("heading", { name: `Join ${project}` })).toBeVisible();
    await expect(p.getByLabel("Email")).toHaveValue(carolEmail);
    await expect(p.getByLabel("Email")).toHaveAttribute("readonly", "");
    await fillAccount(p, "Carol", null, "carol-password-1");
    await p.getByRole("button", { name: "Create account and join" }).click();
    await expect(p.getByRole("heading", { name: project, level: 1, exact: true })).toBeVisible();
    await p.goto(`/projects/${slug}/members`);
    await expect(
      p.getByRole("table", { name: "Members" }).getByRole("row", { name: new RegExp(carolEmail) }),
    ).toContainText("viewer");

    // Used: the same link says so, to anyone.
    const other = await newWatchedContext(browser, { baseURL: EMPTY_BASE_URL });
    const o = await other.newPage();
    await o.goto(url);
    await expect(o.getByText("This invitation link has already been used.")).toBeVisible();
    await other.close();
  } finally {
    await carol.close();
  }
  await page.reload();
  await expect(page.getByRole("table", { name: "Pending invitations" })).toContainText(
    "No pending invitation.",
  );

  // A revoked link stops working at once.
  await invite.getByRole("button", { name: "Create invitation link" }).click();
  await expect(link).toHaveValue(/\/invitations\/inv_/);
  const second = await link.inputValue();
  expect(second).not.toBe(url);
  await page.reload();
  await page
    .getByRole("table", { name: "Pending invitations" })
    .getByRole("button", { name: "Revoke" })
    .click();
  await page
    .getByRole("dialog", { name: "Revoke this invitation?" })
    .getByRole("button", { name: "Revoke invitation" })
    .click();
  await expect(page.getByRole("table", { name: "Pending invitations" })).toContainText(
    "No pending invitation.",
  );
  expect((await page.goto(second))?.status()).toBe(404);
});
