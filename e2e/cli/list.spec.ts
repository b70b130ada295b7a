import { expect, test } from "../fixtures";
import { BASE_URL, type CliEnv, EXIT, cliEnv, runops } from "./cli";
import { tokenFor } from "./tokens";

/** operation:list (ops) against the demo: every format, columns, header, apps and workers. */

let admin: CliEnv;
let viewer: CliEnv;

test.beforeAll(async () => {
  admin = cliEnv({ token: await tokenFor("admin@example.com") });
  viewer = cliEnv({ token: await tokenFor("viewer@example.com") });
});

const target = ["-p", "shop", "-e", "staging"];

test("table: Upsun's columns and borders, multi-line commands on several lines, a title and a hint on stderr", async () => {
  const { code, stdout, stderr } = await runops(["operation:list", ...target], admin);
  expect(code).toBe(EXIT.ok);
  const lines = stdout.split("\n");
  expect(lines[0]).toMatch(/^\+-+\+-+\+-+\+-+\+-+\+$/);
  expect(lines[1]).toMatch(/^\| Service +\| Operation name +\| Start command +\| Role +\| Stop command +\|$/);
  expect(stdout).toMatch(/\| storefront +\| clear-rebuild +\| set -e +\| viewer +\| +\|/);
  expect(stdout).toMatch(/\| +\| +\| node scripts\/build-site\.mjs +\| +\| +\|/);
  expect(stdout).toMatch(
    /\| storefront +\| long-import +\| node scripts\/long-import\.mjs +\| contributor +\| echo "stop requested/,
  );
  expect(stdout).toMatch(/\| api--queue +\| drain-queue +\|/);
  expect(stderr).toContain("Runtime operations on the environment staging of shop:");
  expect(stderr).toContain("runops operation:run <name> -p shop -e staging");
});

test("csv and tsv: a header row, quoted multi-line cells, LF line ends", async () => {
  const csv = await runops(["ops", ...target, "--format", "csv"], admin);
  expect(csv.code).toBe(EXIT.ok);
  expect(csv.stderr).toBe("");
  expect(csv.stdout.split("\n")[0]).toBe("Service,Operation name,Start command,Role,Stop command");
  expect(csv.stdout).toContain("storefront,clear-cache,node scripts/clear-cache.mjs,admin,\n");
  expect(csv.stdout).toContain('storefront,clear-rebuild,"set -e\necho ""Rebuilding ${SITE_TITLE}');
  expect(csv.stdout).toContain("api--queue,drain-queue,");
  expect(csv.stdout).not.toContain("\r");

  const tsv = await runops(["ops", ...target, "--format", "tsv", "-c", "name,service,role"], admin);
  expect(tsv.code).toBe(EXIT.ok);
  const rows = tsv.stdout.trimEnd().split("\n");
  expect(rows[0]).toBe("Operation name\tService\tRole");
  expect(rows).toEqual(
    expect.arrayContaining([
      "ping\tstorefront\tviewer",
      "ping\tapi\tviewer",
      "drain-queue\tapi--queue\tadmin",
    ]),
  );
});

test("plain with --columns and --no-header: one line per operation, for shell loops", async () => {
  const { code, stdout } = await runops(
    ["ops", ...target, "--format", "plain", "-c", "service,name", "--no-header"],
    admin,
  );
  expect(code).toBe(EXIT.ok);
  expect(stdout.trimEnd().split("\n").sort()).toEqual(
    [
      "api\tping",
      "api--queue\tdrain-queue",
      "storefront\tbroken-migration",
      "storefront\tclear-cache",
      "storefront\tclear-rebuild",
      "storefront\tlong-import",
      "storefront\tping",
    ].sort(),
  );
  // Plain flattens a multi-line command to one line.
  const plain = await runops(
    ["ops", ...target, "--format", "plain", "-c", "name,start", "--no-header", "-A", "storefront"],
    admin,
  );
  expect(plain.stdout).toContain("clear-rebuild\tset -e echo ");
});

test("json: the API's operations, whole; with --columns only those", async () => {
  const { code, stdout } = await runops(["ops", ...target, "--format", "json"], admin);
  expect(code).toBe(EXIT.ok);
  const ops = JSON.parse(stdout);
  expect(ops).toContainEqual(
    expect.objectContaining({
      service: "api--queue",
      app: "api",
      worker: "queue",
      name: "drain-queue",
      role: "admin",
      canRun: true,
    }),
  );
  const longImport = ops.find((o: { name: string }) => o.name === "long-import");
  expect(longImport).toMatchObject({
    timeout: 600,
    stop: 'echo "stop requested: finishing the current batch"',
  });

  const picked = JSON.parse(
    (
      await runops(
        ["ops", ...target, "--format", "json", "-c", "name,runnable,reason", "-A", "storefront"],
        viewer,
      )
    ).stdout,
  );
  expect(picked).toContainEqual({
    name: "clear-cache",
    runnable: false,
    reason: expect.stringContaining("admin"),
  });
  expect(picked).toContainEqual({ name: "clear-rebuild", runnable: true, reason: null });
});

test("--full shows commands whole (the demo has none over 24 lines: the cut is unit-tested)", async () => {
  const api = await fetch(`${BASE_URL}/api/v1/projects/shop/environments/staging/operations`, {
    headers: { authorization: `Bearer ${admin.RUNOPS_TOKEN}` },
  });
  const ops = (await api.json()).operations as { name: string; service: string; start: string }[];
  const rebuild = ops.find((o) => o.name === "clear-rebuild");
  const { stdout } = await runops(
    ["ops", ...target, "--full", "--format", "json", "-c", "name,start", "-A", "storefront"],
    admin,
  );
  const shown = JSON.parse(stdout).find((o: { name: string }) => o.name === "clear-rebuild");
  expect(shown.start).toBe(rebuild?.start.trim());
  const table = await runops(["ops", ...target, "--full"], admin);
  expect(table.stdout).not.toContain("# ...");
});

test("--app selects an app's own operations, --worker a worker's", async () => {
  const names = async (...args: string[]) =>
    (
      await runops(
        ["ops", ...target, "--format", "plain", "-c", "service,name", "--no-header", ...args],
        admin,
      )
    ).stdout
      .trimEnd()
      .split("\n");
  expect(await names("-A", "api")).toEqual(["api\tping"]);
  expect(await names("--worker", "queue")).toEqual(["api--queue\tdrain-queue"]);
  expect(await names("--worker", "api--queue")).toEqual(["api--queue\tdrain-queue"]);
});

test("mistakes in options are usage errors, before any request", async () => {
  const format = await runops(["ops", ...target, "--format", "xml"], admin);
  expect(format.code).toBe(EXIT.usage);
  expect(format.stderr).toContain('error: invalid format "xml": use one of table, csv, tsv, plain, json');
  const column = await runops(["ops", ...target, "-c", "name,colour"], admin);
  expect(column.code).toBe(EXIT.usage);
  expect(column.stderr).toContain('unknown column "colour"');
  expect(column.stderr).toContain("available columns: service*, name*, start*, role*, stop*");
  const option = await runops(["ops", "--nope"], admin);
  expect(option.code).toBe(EXIT.usage);
  expect(option.stderr).toBe("error: unknown option --nope\nsee `runops operation:list --help`\n");
});

test("help and version need no server", async () => {
  const env = cliEnv({ url: "http://127.0.0.1:9" });
  const help = await runops(["ops", "--help"], env);
  expect(help.code).toBe(EXIT.ok);
  expect(help.stdout).toContain("runops operation:list [options]");
  expect(help.stdout).toContain("-c, --columns=COLUMNS");
  const list = await runops([], env);
  expect(list.stdout).toContain("operation:run");
  expect(list.stdout).toContain("run:cancel");
  const version = await runops(["--version"], env);
  expect(version.stdout).toMatch(/^runops CLI \d+\.\d+\.\d+\n$/);
  for (const command of ["operation:run", "run:list", "run:log", "run:cancel", "auth:login", "auth:logout"]) {
    const result = await runops([command, "--help"], env);
    expect(result.code, command).toBe(EXIT.ok);
    expect(result.stdout).toContain(`runops ${command}`);
  }
});
