import { EMPTY_BASE_URL, ROOT, addEnvironment, createProject, makeTarget, uniqueId } from "./admin/support";
import { EXIT, cliEnv, runops } from "./cli/cli";
import { tokenFor } from "./cli/tokens";
import { expect, test } from "./fixtures";

test.use({ signedInAs: "root" });

/** The empty server's database (playwright.config.ts), where its instance admin's token is made. */
const EMPTY_DATABASE = "file:./data/e2e-empty.db";

/** `purge` is written contributor, then admin: it loads as admin (the last wins, as on Upsun). */
const TWICE = `
applications:
  web:
    source:
      root: app
    operations:
      purge:
        role: contributor
        commands:
          start: echo purged
        role: admin
`;

const WARNING =
  ".upsun/config.yaml:8:9 and .upsun/config.yaml:11:9 applications.web.operations.purge.role: `role` is set twice (lines 8 and 11); the second (line 11) wins, as on Upsun";

test("a key set twice deploys with a warning: on the deploy outcome, the environment, its settings row, the API and operation:list", async ({
  page,
}) => {
  const target = makeTarget(TWICE);
  try {
    const slug = await createProject(page, `Warnings ${uniqueId()}`);

    const outcome = await addEnvironment(page, slug, "twice", "staging", target.dir);
    await expect(outcome).toContainText("1 operation found");
    await expect(outcome.getByRole("list", { name: "Operations found" })).toContainText("purge on web admin");
    const deployed = outcome.getByRole("note", { name: "Config warnings" });
    await expect(deployed).toContainText("1 config warning: a key set twice keeps its last value");
    await expect(deployed.getByRole("listitem")).toHaveText([WARNING]);

    // Beside the operations, for everyone who opens the environment.
    await outcome.getByRole("link", { name: "Open twice" }).click();
    await expect(page.getByRole("heading", { name: "twice", level: 1 })).toBeVisible();
    await expect(page.getByRole("note", { name: "Config warnings" }).getByRole("listitem")).toHaveText([
      WARNING,
    ]);

    // On the settings row of the current deployment, folded.
    await page.goto(`/projects/${slug}/settings`);
    const row = page.getByRole("table", { name: "Environments" }).getByRole("row", { name: /twice/ });
    await row.locator("summary", { hasText: "1 config warning" }).click();
    await expect(row.getByRole("note", { name: "Config warnings" }).getByRole("listitem")).toHaveText([
      WARNING,
    ]);

    const api = await page.request.get(`/api/v1/projects/${slug}/environments/twice/operations`);
    expect(api.status()).toBe(200);
    expect((await api.json()).warnings).toEqual([
      {
        file: ".upsun/config.yaml",
        path: "applications.web.operations.purge.role",
        first: { line: 8, column: 9 },
        kept: { line: 11, column: 9 },
        message: "`role` is set twice (lines 8 and 11); the second (line 11) wins, as on Upsun",
      },
    ]);

    // The CLI: one line on stderr with both positions, whatever the format; stdout unchanged.
    const env = cliEnv({
      url: EMPTY_BASE_URL,
      token: await tokenFor(ROOT.email, "config-warnings", EMPTY_DATABASE),
    });
    const table = await runops(["operation:list", "-p", slug, "-e", "twice"], env);
    expect(table.code).toBe(EXIT.ok);
    expect(table.stderr).toContain(`Warning: ${WARNING}\n`);
    expect(table.stdout).toMatch(/\| web +\| purge +\| echo purged +\| admin +\|/);
    const json = await runops(["ops", "-p", slug, "-e", "twice", "--format", "json"], env);
    expect(json.code).toBe(EXIT.ok);
    expect(JSON.parse(json.stdout)).toEqual([expect.objectContaining({ name: "purge", role: "admin" })]);
    expect(json.stderr.split("\n").filter((l) => l.startsWith("Warning:"))).toEqual([`Warning: ${WARNING}`]);
  } finally {
    target.cleanup();
  }
});
