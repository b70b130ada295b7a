import { expect, test } from "../fixtures";
import { type CliEnv, CliProcess, EXIT, cliEnv, runops } from "./cli";
import { tokenFor } from "./tokens";

/**
 * Upsun CLI habits (issue 12): run:get -P, run:log and run:cancel without an
 * id, -e ., --wait, the global -q/-v/-n/--ansi/--no-ansi, activity:* names,
 * run:list --start/--since. Runs go to feature-search; main is only read.
 */

let admin: CliEnv;
let dev: CliEnv;
const env = ["-p", "shop", "-e", "feature-search"];

test.beforeAll(async () => {
  admin = cliEnv({ token: await tokenFor("admin@example.com") });
  dev = cliEnv({ token: await tokenFor("dev@example.com") });
});

/** Starts an operation without waiting; returns the run's id. */
async function start(operation: string, ...more: string[]): Promise<string> {
  const started = await runops(["operation:run", operation, ...env, ...more, "-y", "-W"], dev);
  expect(started.code, started.stderr).toBe(EXIT.ok);
  return started.stdout.split("\n")[0] ?? "";
}

test("run:get shows a run's fields; -P prints one value for scripts; without ID, the latest run; activity:get too", async () => {
  const id = await start("broken-migration");
  await runops(["run:log", id, "--follow"], dev);

  const table = await runops(["run:get", id], dev);
  expect(table.code).toBe(EXIT.ok);
  expect(table.stdout).toMatch(/\| Property +\| Value +\|/);
  expect(table.stdout).toMatch(new RegExp(`\\| id +\\| ${id} +\\|`));
  expect(table.stdout).toMatch(/\| operation +\| broken-migration +\|/);
  expect(table.stdout).toMatch(/\| triggeredBy\.email +\| dev@example\.com +\|/);
  expect(table.stderr).toContain(`To see its log, use: runops run:log ${id}`);

  const property = async (...args: string[]) => (await runops(["run:get", ...args], dev)).stdout;
  expect(await property(id, "-P", "state")).toBe("complete\n");
  expect(await property(id, "-P", "exitCode")).toBe("3\n");
  expect(await property(id, "-P", "signal")).toBe("\n");
  expect(await property(id, "--property", "triggeredBy.email")).toBe("dev@example.com\n");
  expect(JSON.parse(await property(id, "-P", "triggeredBy"))).toMatchObject({ name: "Dev Contributor" });
  // Without ID: the environment's latest run, which is this one.
  expect(await property(...env, "-P", "id")).toBe(`${id}\n`);
  const alias = await runops(["activity:get", ...env, "-P", "operation"], dev);
  expect(alias.stdout).toBe("broken-migration\n");

  const json = JSON.parse((await runops(["run:get", id, "--format", "json"], dev)).stdout);
  expect(json).toMatchObject({ id, operation: "broken-migration", result: "failure", exitCode: 3 });

  const unknown = await runops(["run:get", id, "-P", "colour"], dev);
  expect(unknown.code).toBe(EXIT.usage);
  expect(unknown.stderr).toContain('error: unknown property "colour"');
  expect(unknown.stderr).toMatch(/properties: id, project, environment, .*triggeredBy\.email/);
});

test("run:log without ID follows the latest run while it runs (activity:log too); --no-follow prints what is stored and exits 0", async () => {
  const id = await start("long-import");
  const follower = new CliProcess(["activity:log", ...env], dev);
  await follower.waitFor("stderr", new RegExp(`^Run ${id}: long-import on storefront, `));
  // Batch 2 comes a second after batch 1: by then batch 1 is stored.
  await follower.waitFor("stdout", /importing batch 2\/120/);

  const snapshot = await runops(["run:log", ...env, "--no-follow"], dev);
  expect(snapshot.code).toBe(EXIT.ok);
  expect(snapshot.stdout).toContain("importing batch 1/120");
  expect(snapshot.stderr).toContain(`Run ${id} is still in progress: this is its log so far`);
  // The follower is still there: the run goes on.
  expect(follower.child.exitCode).toBeNull();

  const both = await runops(["run:log", id, "--follow", "--no-follow"], dev);
  expect(both.code).toBe(EXIT.usage);

  expect((await runops(["run:cancel", id], dev)).code).toBe(EXIT.ok);
  const ended = await follower.exited;
  expect(ended.code).toBe(EXIT.runFailed);
  expect(ended.stderr).toMatch(new RegExp(`Run ${id} cancelled: failure`));
});

test("run:cancel without ID and without a terminal names the active runs instead of choosing; none active is not found", async () => {
  const id = await start("long-import");
  const refused = await runops(["activity:cancel", ...env], dev);
  expect(refused.code).toBe(EXIT.usage);
  expect(refused.stderr).toContain("error: missing the run ID (there is no terminal to choose one on)\n");
  expect(refused.stderr).toContain(`active runs: ${id} (long-import on storefront)`);

  expect((await runops(["run:cancel", id], dev)).code).toBe(EXIT.ok);
  // --follow waits for the end and exits with the run's outcome.
  expect((await runops(["run:log", id, "--follow"], dev)).code).toBe(EXIT.runFailed);
  const none = await runops(["run:cancel", ...env], dev);
  expect(none.code).toBe(EXIT.notFound);
  expect(none.stderr).toContain("error: no active runs to cancel on the environment feature-search of shop");
});

test("-e . is the project's default environment: its production one", async () => {
  const names = async (environment: string) =>
    runops(["ops", "-p", "shop", "-e", environment, "--format", "plain", "-c", "service,name"], admin);
  const dot = await names(".");
  expect(dot.code).toBe(EXIT.ok);
  expect(dot.stdout).toBe((await names("main")).stdout);

  const runs = await runops(["run:list", "-p", "shop", "-e", "."], admin);
  expect(runs.stderr).toMatch(/(Runs on|No runs found on) the environment main of shop/);
});

test("--wait is the default said aloud; with --no-wait it is a usage error", async () => {
  const waited = await runops(["operation:run", "ping", "-A", "api", ...env, "--wait"], dev);
  expect(waited.code).toBe(EXIT.ok);
  expect(waited.stdout).toBe("pong from api\n");
  expect(waited.stderr).toMatch(/Run \S+ complete: success, exit code 0/);

  const both = await runops(["operation:run", "ping", "-A", "api", ...env, "--wait", "-W"], dev);
  expect(both.code).toBe(EXIT.usage);
  expect(both.stderr).toContain("--wait and --no-wait contradict each other");
});

test("-q keeps the run's own output and the errors, and drops the CLI's messages; -v prints each API request", async () => {
  const quiet = await runops(["operation:run", "broken-migration", ...env, "-q"], dev);
  expect(quiet.code).toBe(EXIT.runFailed);
  expect(quiet.stdout).toBe("Applying migration 0042_add_index...\n");
  expect(quiet.stderr).toContain('ERROR: relation "orders" does not exist\n');
  expect(quiet.stderr).not.toContain("Running operation");
  expect(quiet.stderr).not.toMatch(/Run \S+ complete/);

  const error = await runops(["ops", "-p", "shop", "-e", "no-such-env", "--quiet"], dev);
  expect(error.code).toBe(EXIT.notFound);
  expect(error.stderr).toMatch(/^error: not found: /);

  const verbose = await runops(["-v", "ops", ...env, "--format", "csv"], dev);
  expect(verbose.code).toBe(EXIT.ok);
  expect(verbose.stderr).toMatch(
    /^\[runops CLI\] GET \/api\/v1\/projects\/shop\/environments\/feature-search\/operations 200 in \d+ ms\n$/,
  );
});

test("--no-ansi and --ansi decide colours over the environment", async () => {
  const colours = cliEnv({ token: dev.RUNOPS_TOKEN, extra: { NO_COLOR: undefined, FORCE_COLOR: "1" } });
  const coloured = await runops(["ops", "-p", "shop", "-e", "no-such-env"], colours);
  expect(coloured.stderr).toContain("\x1b[31merror:\x1b[39m");
  const plain = await runops(["ops", "-p", "shop", "-e", "no-such-env", "--no-ansi"], colours);
  expect(plain.stderr).toMatch(/^error: not found: /);
  expect(plain.stderr).not.toContain("\x1b[");
  const forced = await runops(["ops", "-p", "shop", "-e", "no-such-env", "--ansi"], dev);
  expect(forced.stderr).toContain("\x1b[31merror:\x1b[39m");
});

test("run:list --since and --start (created before), as activity:list and act too; a bad date is a usage error", async () => {
  const first = await start("ping", "-A", "api");
  await runops(["run:log", first, "--follow"], dev);
  const second = await start("ping", "-A", "storefront");
  await runops(["run:log", second, "--follow"], dev);
  const created = (await runops(["run:get", second, "-P", "createdAt"], dev)).stdout.trim();
  const ids = async (...args: string[]) => {
    const result = await runops([...args, ...env, "--format", "plain", "-c", "id", "--no-header"], dev);
    expect(result.code, result.stderr).toBe(EXIT.ok);
    return result.stdout.trimEnd().split("\n");
  };

  const since = await ids("run:list", "--since", created);
  expect(since[0]).toBe(second);
  expect(since).not.toContain(first);
  const before = await ids("activity:list", "--start", created, "--limit", "50");
  expect(before).not.toContain(second);
  expect(before[0]).toBe(first);
  expect(await ids("act", "--since", created, "--start", created)).toEqual([""]);

  const page = await runops(["run:list", ...env, "--limit", "1"], dev);
  expect(page.stderr).toContain(
    "More runs may be available: raise --limit above 1, or set --start to the oldest date shown.",
  );

  const bad = await runops(["run:list", ...env, "--start", "last tuesday"], dev);
  expect(bad.code).toBe(EXIT.usage);
  expect(bad.stderr).toContain('error: invalid --start "last tuesday": expected an ISO date or time');
});
