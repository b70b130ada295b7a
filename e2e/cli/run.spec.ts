import { createServer } from "node:net";
import { expect, test } from "../fixtures";
import { BASE_URL, type CliEnv, CliProcess, EXIT, cliEnv, runops } from "./cli";
import { tokenFor } from "./tokens";

/**
 * operation:run, run:log, run:list and run:cancel against the real server.
 * Runs go to feature-search (development), so the console specs' histories
 * of staging and main stay as they expect them.
 */

let admin: CliEnv;
let dev: CliEnv;
let viewer: CliEnv;
const env = ["-p", "shop", "-e", "feature-search"];

test.beforeAll(async () => {
  admin = cliEnv({ token: await tokenFor("admin@example.com") });
  dev = cliEnv({ token: await tokenFor("dev@example.com") });
  viewer = cliEnv({ token: await tokenFor("viewer@example.com") });
});

async function api(path: string, token: string | undefined, accept = "application/json") {
  const res = await fetch(`${BASE_URL}${path}`, { headers: { authorization: `Bearer ${token}`, accept } });
  expect(res.status, path).toBe(200);
  return res;
}

test("a succeeding operation streams its log live, prints the outcome and exits 0; the run is recorded as from the CLI", async () => {
  // No terminal: no confirmation is asked, --yes or not.
  const cli = new CliProcess(["operation:run", "clear-rebuild", ...env], admin);
  const [, id] = await cli.waitFor("stderr", /Run (\S+): http/);
  expect(cli.stderr).toContain("Running operation clear-rebuild on app storefront (shop/feature-search)");
  // The first page is on stdout while the run goes on: the log is live.
  await cli.waitFor("stdout", /built page-1\.html/);
  expect(cli.child.exitCode).toBeNull();

  const { code, stdout, stderr } = await cli.exited;
  expect(code).toBe(EXIT.ok);
  expect(stdout).toContain("Rebuilding Demo Shop for feature-search (development)\n");
  // The command's bytes pass through untouched, colours included.
  expect(stdout).toContain("\x1b[36m[6/6]\x1b[0m built page-6.html\n");
  expect(stdout).toContain("6 pages written to public/");
  expect(stderr).toMatch(new RegExp(`Run ${id} complete: success, exit code 0, \\d+\\.\\d s\\n`));

  const run = await (await api(`/api/v1/runs/${id}`, admin.RUNOPS_TOKEN)).json();
  expect(run).toMatchObject({
    source: "cli",
    state: "complete",
    result: "success",
    triggeredBy: { email: "admin@example.com" },
  });
  const stored = await (await api(`/api/v1/runs/${id}/log`, admin.RUNOPS_TOKEN, "text/plain")).text();
  expect(stdout).toBe(stored);
});

test("a failing operation: its stdout on stdout, its stderr on stderr, the outcome, exit code 1", async () => {
  const { code, stdout, stderr } = await runops(["operation:run", "broken-migration", ...env, "-y"], dev);
  expect(code).toBe(EXIT.runFailed);
  expect(stdout).toBe("Applying migration 0042_add_index...\n");
  expect(stderr).toContain('ERROR: relation "orders" does not exist\n');
  expect(stderr).toMatch(/Run \S+ complete: failure, exit code 3, [\d.]+ s\nReason: exited with code 3\n$/);
});

test("--no-wait prints the run's id and console URL and exits 0; run:log --follow picks it up", async () => {
  const started = await runops(["operation:run", "ping", "-A", "api", ...env, "-W"], dev);
  expect(started.code).toBe(EXIT.ok);
  const [id, url] = started.stdout.trimEnd().split("\n");
  expect(id).toMatch(/^[0-9a-z]+$/);
  expect(url).toBe(`${BASE_URL}/runs/${id}`);
  expect(started.stderr).toContain(`Follow its log: runops run:log ${id}\n`);

  // --follow: streamed and reported even if ping ended before run:log started.
  const followed = await runops(["run:log", id ?? "", "--follow"], dev);
  expect(followed.code).toBe(EXIT.ok);
  expect(followed.stdout).toBe("pong from api\n");
  expect(followed.stderr).toMatch(new RegExp(`Run ${id} complete: success, exit code 0`));
});

test("run:cancel stops a long-import: its stop command runs, the follower exits 1 with the reason; cancelling again is a conflict", async () => {
  const started = await runops(["operation:run", "long-import", ...env, "--no-wait"], dev);
  expect(started.code).toBe(EXIT.ok);
  const id = started.stdout.split("\n")[0] ?? "";
  // Still going, so followed without --follow (Upsun's activity:log does so too).
  const follower = new CliProcess(["run:log", id, "--timestamps"], dev);
  await follower.waitFor("stdout", /importing batch 1\/120/);

  const cancel = await runops(["run:cancel", id], dev);
  expect(cancel.code).toBe(EXIT.ok);
  expect(cancel.stderr).toContain(`Cancelling run ${id} (long-import on storefront)`);

  const ended = await follower.exited;
  expect(ended.code).toBe(EXIT.runFailed);
  expect(ended.stdout).toContain("stop requested: finishing the current batch");
  // --timestamps: every line starts with the time it was printed.
  for (const line of ended.stdout.trimEnd().split("\n"))
    expect(line).toMatch(/^\[\d{4}-\d\d-\d\dT[\d:.]+Z\] /);
  expect(ended.stderr).toMatch(new RegExp(`Run ${id} cancelled: failure`));
  expect(ended.stderr).toContain("Reason: cancelled by Dev Contributor");

  const again = await runops(["run:cancel", id], dev);
  expect(again.code).toBe(EXIT.conflict);
  expect(again.stderr).toMatch(/^error: /);
});

test("run:list: newest first, filters, formats; run:log prints the stored log", async () => {
  const failed = await runops(["operation:run", "broken-migration", ...env, "-y", "-W"], admin);
  const id = failed.stdout.split("\n")[0] ?? "";
  await runops(["run:log", id, "--follow"], admin);

  const plain = await runops(
    [
      "run:list",
      ...env,
      "--operation",
      "broken-migration",
      "--result",
      "failure",
      "--format",
      "plain",
      "-c",
      "id,operation,result,exit,by",
      "--no-header",
      "--limit",
      "1",
    ],
    admin,
  );
  expect(plain.code).toBe(EXIT.ok);
  expect(plain.stdout).toBe(`${id}\tbroken-migration\tfailure\t3\tAda Admin\n`);

  const json = JSON.parse(
    (await runops(["run:list", ...env, "--format", "json", "--limit", "3"], admin)).stdout,
  );
  expect(json[0]).toMatchObject({
    id,
    operation: "broken-migration",
    source: "cli",
    project: "shop",
    environment: "feature-search",
  });
  expect(json).toHaveLength(3);

  const table = await runops(["run:list", ...env, "--state", "complete", "--limit", "2"], admin);
  expect(table.stdout).toMatch(
    /\| ID +\| Created +\| Operation +\| Service +\| State +\| Result +\| Exit +\| By +\|/,
  );
  expect(table.stdout).toMatch(
    new RegExp(
      `\\| ${id} \\| \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ \\| broken-migration \\| storefront \\| complete \\| failure +\\| 3 +\\| Ada Admin +\\|`,
    ),
  );

  const csv = await runops(
    ["run:list", ...env, "--format", "csv", "-c", "operation,state", "--limit", "200"],
    admin,
  );
  expect(csv.stdout.split("\n")[0]).toBe("Operation,State");

  const bad = await runops(["run:list", ...env, "--state", "finished"], admin);
  expect(bad.code).toBe(EXIT.usage);
  expect(bad.stderr).toContain('invalid --state "finished"');

  const log = await runops(["run:log", id], admin);
  expect(log.code).toBe(EXIT.ok);
  expect(log.stdout).toBe('Applying migration 0042_add_index...\nERROR: relation "orders" does not exist\n');
});

test("permission: a viewer running an admin operation gets the server's reason and exit code 4", async () => {
  const { code, stderr } = await runops(
    ["operation:run", "clear-cache", "-p", "shop", "-e", "main", "-y"],
    viewer,
  );
  expect(code).toBe(EXIT.permission);
  expect(stderr).toMatch(/^error: permission denied: .*requires admin/m);
});

test("not found: an unknown operation, run, environment or project exits 5", async () => {
  const op = await runops(["operation:run", "no-such-op", ...env, "-y"], admin);
  expect(op.code).toBe(EXIT.notFound);
  expect(op.stderr).toContain(
    "the runtime operation no-such-op was not found on the environment feature-search of shop",
  );
  expect(op.stderr).toContain("list them: runops ops -p shop -e feature-search");

  const run = await runops(["run:log", "0000000000nosuchrun"], admin);
  expect(run.code).toBe(EXIT.notFound);
  expect(run.stderr).toMatch(/^error: not found: /);

  expect((await runops(["ops", "-p", "shop", "-e", "no-such-env"], admin)).code).toBe(EXIT.notFound);
  expect((await runops(["ops", "-p", "no-such-project", "-e", "main"], admin)).code).toBe(EXIT.notFound);
});

test("ambiguity: ping is on two apps, so without --app it is an error naming both", async () => {
  const { code, stderr } = await runops(["operation:run", "ping", ...env, "-y"], admin);
  expect(code).toBe(EXIT.usage);
  expect(stderr).toContain("error: the operation ping is defined on more than one app: storefront, api\n");
  expect(stderr).toContain("choose one with --app");

  const chosen = await runops(["operation:run", "ping", ...env, "--app", "storefront", "-y"], admin);
  expect(chosen.code).toBe(EXIT.ok);
  expect(chosen.stdout).toMatch(/^pong from storefront on feature-search\n/);
});

test("authentication: a refused token exits 3 with a one-line hint; no configuration says how to configure", async () => {
  const refused = await runops(["ops", ...env], cliEnv({ token: `rop_${"x".repeat(43)}` }));
  expect(refused.code).toBe(EXIT.auth);
  expect(refused.stderr.split("\n")[0]).toBe("error: the API token was refused: run `runops auth:login`");

  const none = await runops(["ops", ...env], cliEnv({ extra: { RUNOPS_URL: undefined } }));
  expect(none.code).toBe(EXIT.auth);
  expect(none.stderr).toContain("error: no runops server configured");
});

test("unreachable: a server that is not there exits 6 with one clear line", async () => {
  // A port that was just free: nothing listens on it.
  const port = await new Promise<number>((resolve) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
  const { code, stderr } = await runops(
    ["ops", ...env],
    cliEnv({ token: admin.RUNOPS_TOKEN, url: `http://127.0.0.1:${port}` }),
  );
  expect(code).toBe(EXIT.unreachable);
  expect(stderr).toBe(`error: cannot reach runops at http://127.0.0.1:${port}: ECONNREFUSED\n`);
});

test("without NAME and without a terminal, operation:run is a usage error", async () => {
  const { code, stderr } = await runops(["operation:run", ...env], admin);
  expect(code).toBe(EXIT.usage);
  expect(stderr).toContain("missing the operation NAME (there is no terminal to choose one on)");
});
