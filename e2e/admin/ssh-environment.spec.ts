import { chownSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { chmodSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { type TestSshd, startSshd } from "../../tests/support/sshd";
import { expect, test } from "../fixtures";
import { createProject, uniqueId } from "./support";
import { operationRadio } from "../helpers";

test.use({ signedInAs: "root" });

/** Prints a line, waits for the test to say go (a file), prints the rest: the log must be live. */
const REMOTE_CONFIG = `applications:
  web:
    source:
      root: app
    operations:
      deploy-notes:
        role: viewer
        commands:
          start: 'echo "on $(hostname) as $(id -un) in $PWD"; while [ ! -e ../go ]; do sleep 0.1; done; echo "notes written"'
`;

let sshd: TestSshd;
let remote: string;

test.beforeAll(async () => {
  sshd = await startSshd();
  remote = mkdtempSync(path.join(tmpdir(), "runops-e2e-remote-"));
  chmodSync(remote, 0o755);
  mkdirSync(path.join(remote, ".upsun"));
  mkdirSync(path.join(remote, "app"));
  writeFileSync(path.join(remote, ".upsun", "config.yaml"), REMOTE_CONFIG);
  for (const p of [remote, path.join(remote, ".upsun"), path.join(remote, "app")]) {
    chownSync(p, sshd.uid, sshd.uid);
  }
});

test.afterAll(async () => {
  await sshd?.stop();
  if (remote) rmSync(remote, { recursive: true, force: true });
});

test("an admin adds an SSH environment (key shown, host key confirmed) and runs an operation on it with a live log", async ({
  page,
}) => {
  const slug = await createProject(page, `Remote Shop ${uniqueId()}`);
  await page.goto(`/projects/${slug}/settings/environments/new`);
  const form = page.getByRole("form", { name: "New environment" });
  await form.getByLabel("Name").fill("edge");
  await form.getByLabel("Type").selectOption("staging");
  await form.getByRole("radio", { name: "An SSH host and directory" }).check();
  await form.getByLabel("SSH host", { exact: true }).fill(`${sshd.user}@127.0.0.1:${sshd.port}`);
  // The project's key, to paste into the host's authorized_keys: the admin does just that.
  // Made when the SSH target is chosen: a project without SSH environments has no key.
  await expect(form.getByLabel("Project public key")).toHaveValue(/^ssh-ed25519 /);
  const publicKey = await form.getByLabel("Project public key").inputValue();
  expect(publicKey).toMatch(new RegExp(`^ssh-ed25519 AAAA\\S+ runops@${slug}$`));
  sshd.authorize(publicKey);
  await form.getByLabel("Directory", { exact: true }).fill(remote);
  await form.getByRole("button", { name: "Connect" }).click();

  // Nothing is trusted yet: the offered host key is shown to compare with the host's own.
  const hostKey = page
    .getByRole("status")
    .filter({ has: page.getByRole("heading", { name: /Host key of/ }) });
  await expect(hostKey.getByLabel("Offered host key fingerprint")).toHaveText(sshd.hostKeyFingerprint);
  await expect(hostKey).toContainText("The host accepts the project's key.");
  await expect(form.getByLabel("Name")).toHaveValue("edge");
  await form.getByRole("button", { name: "Confirm host key, add and deploy" }).click();

  const outcome = page
    .getByRole("status")
    .filter({ has: page.getByRole("heading", { name: /Environment edge created/ }) });
  await expect(outcome).toContainText("1 operation found");
  await expect(outcome.getByRole("list", { name: "Operations found" })).toContainText("deploy-notes on web");

  // The settings page shows the pinned key and the project's key.
  await page.goto(`/projects/${slug}/settings`);
  await expect(page.getByRole("row", { name: /edge/ })).toContainText(sshd.hostKeyFingerprint);
  await expect(page.getByRole("region", { name: "SSH key" })).toContainText(publicKey.split(" ")[1] ?? "");

  await page.goto(`/projects/${slug}/environments/edge`);
  await page.getByRole("button", { name: "More" }).click();
  await page.getByRole("menuitem", { name: "Run runtime operation" }).click();
  await operationRadio(page, "deploy-notes", "web").check();
  await page
    .getByRole("dialog", { name: "Run runtime operation" })
    .getByRole("button", { name: "Run" })
    .click();

  const log = page.getByRole("log", { name: "Run log" });
  await expect(log).toContainText(`as ${sshd.user} in ${path.join(remote, "app")}`);
  await expect(page.getByTestId("run-state")).toHaveText("in progress");
  await expect(page.getByTestId("run-target")).toHaveText(`${sshd.user}@127.0.0.1:${sshd.port}`);
  writeFileSync(path.join(remote, "go"), "");
  await expect(log).toContainText("notes written");
  await expect(page.getByTestId("run-state")).toHaveText("complete");
  await expect(page.getByTestId("run-result")).toHaveText("success");
});
