import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { MAX_ALIAS_COUNT, MAX_CONFIG_BYTES, MAX_SYNTAX_ISSUES } from "../../../lib/config/load-yaml-document";
import { MAX_REPORTED_ISSUES } from "../../../lib/config/order-issues";
import { readConfig } from "../../../lib/config/read-config";
import { type ConfigResult, envFor, formatConfigIssue, type ParsedConfig } from "../../../lib/config/types";

/** Joins lines with LF; every fixture below is written so that columns are easy to count. */
const yaml = (...lines: string[]) => lines.join("\n") + "\n";

function ok(result: ConfigResult): ParsedConfig {
  if (!result.ok) throw new Error(result.issues.map(formatConfigIssue).join("\n"));
  return result.config;
}

function messages(result: ConfigResult): string[] {
  if (result.ok) throw new Error("expected the config to be refused");
  return result.issues.map(formatConfigIssue);
}

let base: string;
beforeAll(async () => {
  base = await mkdtemp(path.join(tmpdir(), "runops-config-file-"));
});
afterAll(async () => {
  await rm(base, { recursive: true, force: true });
});

/** One config file's text, read as a deploy reads it: written to a target of its own, then `readConfig`. */
async function load(text: string, file = ".upsun/config.yaml"): Promise<ConfigResult> {
  const target = await mkdtemp(path.join(base, "target-"));
  await mkdir(path.join(target, ".upsun"));
  await writeFile(path.join(target, ".upsun", path.basename(file)), text);
  return readConfig(target);
}

/** An app with one operation whose body is `body` (lines indented under the operation). */
function withOperation(...body: string[]) {
  return yaml(
    "applications:", //                           1
    "  app:", //                                  2
    "    type: php:8.3", //                       3
    "    operations:", //                         4
    "      x:", //                                5
    ...body.map((l) => `        ${l}`), //        6...
  );
}

describe("readConfig, one file: operations", () => {
  it("extracts an operation with every field", async () => {
    const config = ok(
      await load(
        withOperation(
          "role: admin",
          "timeout: 300",
          "commands:",
          "  start: |",
          "    set -e",
          "    make rebuild",
          "  stop: pkill make",
        ),
      ),
    );
    expect(config.operations).toEqual([
      {
        app: "app",
        worker: null,
        name: "x",
        role: "admin",
        start: "set -e\nmake rebuild\n",
        stop: "pkill make",
        timeout: 300,
      },
    ]);
    expect(config.apps).toEqual([{ name: "app", sourceRoot: "", env: {}, workers: [], workerEnv: {} }]);
  });

  it("defaults the role to contributor and lets unknown operation keys pass", async () => {
    const config = ok(
      await load(withOperation("description: rebuild", "commands:", "  start: make", "  future: 1")),
    );
    expect(config.operations[0]).toMatchObject({
      role: "contributor",
      start: "make",
      stop: null,
      timeout: null,
    });
  });

  it("keeps start text exactly as YAML yields it (folded, quoted, trailing spaces)", async () => {
    const config = ok(
      await load(
        yaml(
          "applications:",
          "  app:",
          "    operations:",
          "      folded:",
          "        commands:",
          "          start: >-",
          "            echo a",
          "            echo b",
          "      quoted:",
          "        commands:",
          "          start: 'echo \"$HOME\"   '",
          "      kept:",
          "        commands:",
          "          start: |+",
          "            echo c",
          "",
        ),
      ),
    );
    expect(config.operations.map((o) => o.start)).toEqual(["echo a echo b", 'echo "$HOME"   ', "echo c\n\n"]);
  });

  it("treats an empty stop command as none", async () => {
    const config = ok(await load(withOperation("commands:", "  start: make", '  stop: ""')));
    expect(config.operations[0]?.stop).toBeNull();
  });

  it("accepts any non-empty operation name, numbers and YAML 1.1 booleans kept as written, in file order", async () => {
    const config = ok(
      await load(
        yaml(
          "applications:",
          "  app:",
          "    operations:",
          "      zeta: { commands: { start: z } }",
          "      10: { commands: { start: ten } }",
          "      2: { commands: { start: two } }",
          "      on: { commands: { start: bool } }",
          '      "with space": { commands: { start: s } }',
        ),
      ),
    );
    expect(config.operations.map((o) => [o.name, o.start])).toEqual([
      ["zeta", "z"],
      ["10", "ten"],
      ["2", "two"],
      ["on", "bool"],
      ["with space", "s"],
    ]);
  });

  it("puts app operations first, then each worker's, apps in file order", async () => {
    const config = ok(
      await load(
        yaml(
          "applications:",
          "  web:",
          "    variables:",
          "      env:",
          "        SHARED: app",
          "        APP_ONLY: 1",
          "    workers:",
          "      queue:",
          "        variables:",
          "          env:",
          "            SHARED: worker",
          "        operations:",
          "          drain: { role: admin, commands: { start: drain } }",
          "      cron-runner:",
          "        commands: { start: sleep infinity }",
          "    operations:",
          "      migrate: { commands: { start: migrate } }",
          "  api:",
          "    operations:",
          "      reindex: { role: viewer, commands: { start: reindex } }",
        ),
      ),
    );
    expect(config.operations.map((o) => [o.app, o.worker, o.name, o.role])).toEqual([
      ["web", null, "migrate", "contributor"],
      ["web", "queue", "drain", "admin"],
      ["api", null, "reindex", "viewer"],
    ]);
    const [web, api] = config.apps;
    expect(web?.workers).toEqual(["queue", "cron-runner"]);
    expect(web?.env).toEqual({ SHARED: "app", APP_ONLY: "1" });
    expect(web && envFor(web, "queue")).toEqual({ SHARED: "worker", APP_ONLY: "1" });
    expect(web && envFor(web, "cron-runner")).toEqual({ SHARED: "app", APP_ONLY: "1" });
    expect(web && envFor(web, null)).toEqual(web?.env);
    expect(api?.workers).toEqual([]);
  });

  it("keeps application order even for names JS objects would reorder", async () => {
    const config = ok(await load(yaml("applications:", "  b: {}", "  10: {}", "  a:", "  2: {}")));
    expect(config.apps.map((a) => a.name)).toEqual(["b", "10", "a", "2"]);
  });
});

describe("readConfig, one file: error positions", () => {
  it("reports a bad role at the value, in the documented format", async () => {
    const text = withOperation("role: owner", "commands:", "  start: make");
    expect(messages(await load(text))).toEqual([
      '.upsun/config.yaml:6:15 applications.app.operations.x.role: expected viewer, contributor or admin, got "owner"',
    ]);
  });

  it("names the operation exactly as in the design doc example", async () => {
    const text = yaml(
      "applications:",
      "  app:",
      "    source:",
      "      root: /",
      "    type: php:8.3",
      "    hooks:",
      "      build: |",
      "        composer install",
      "    web:",
      "      locations:",
      '        "/": { root: public, passthru: /index.php }',
      "    operations:",
      "      clear-rebuild:",
      "        role: owner",
      "        commands:",
      "          start: rm -rf var/cache && make",
    );
    expect(messages(await load(text))).toEqual([
      '.upsun/config.yaml:14:15 applications.app.operations.clear-rebuild.role: expected viewer, contributor or admin, got "owner"',
    ]);
  });

  it("refuses a null or non-string role", async () => {
    expect(messages(await load(withOperation("role:", "commands:", "  start: make")))).toEqual([
      ".upsun/config.yaml:6:9 applications.app.operations.x.role: expected viewer, contributor or admin, got null",
    ]);
    expect(messages(await load(withOperation("role: [admin]", "commands:", "  start: make")))).toEqual([
      ".upsun/config.yaml:6:15 applications.app.operations.x.role: expected viewer, contributor or admin, got a list",
    ]);
  });

  it("reports a missing start at the nearest key that exists", async () => {
    // no commands at all: the operation's name
    expect(messages(await load(withOperation("role: admin")))).toEqual([
      ".upsun/config.yaml:5:7 applications.app.operations.x.commands.start: required: the command the operation runs",
    ]);
    // commands without start: the commands key
    expect(messages(await load(withOperation("commands:", "  stop: pkill make")))).toEqual([
      ".upsun/config.yaml:6:9 applications.app.operations.x.commands.start: required: the command the operation runs",
    ]);
    // an operation that is null
    expect(messages(await load(yaml("applications:", "  app:", "    operations:", "      x:")))).toEqual([
      ".upsun/config.yaml:4:7 applications.app.operations.x.commands.start: required: the command the operation runs",
    ]);
  });

  it("reports an empty or non-string start at its value", async () => {
    expect(messages(await load(withOperation("commands:", '  start: ""')))).toEqual([
      ".upsun/config.yaml:7:18 applications.app.operations.x.commands.start: must not be empty",
    ]);
    expect(messages(await load(withOperation("commands:", "  start: |", "    ", "  stop: x")))).toEqual([
      ".upsun/config.yaml:7:18 applications.app.operations.x.commands.start: must not be empty",
    ]);
    expect(messages(await load(withOperation("commands:", "  start: [make, test]")))).toEqual([
      ".upsun/config.yaml:7:18 applications.app.operations.x.commands.start: expected a string, got a list",
    ]);
    // `start:` with nothing after it is reported at the key
    expect(messages(await load(withOperation("commands:", "  start:")))).toEqual([
      ".upsun/config.yaml:7:11 applications.app.operations.x.commands.start: expected a string, got null",
    ]);
  });

  it("refuses commands that are not a mapping", async () => {
    expect(messages(await load(withOperation("commands: make")))).toEqual([
      '.upsun/config.yaml:6:19 applications.app.operations.x.commands: expected a mapping, got "make"',
    ]);
    expect(messages(await load(yaml("applications:", "  app:", "    operations:", "      x: make")))).toEqual(
      ['.upsun/config.yaml:4:10 applications.app.operations.x: expected a mapping, got "make"'],
    );
  });

  it.each([
    ["1.5", "1.5"],
    ['"30"', '"30"'],
    ["0", "0"],
    ["-5", "-5"],
    ["thirty", '"thirty"'],
    ["yes", "true"],
    ["1e999", "Infinity"],
  ])("refuses timeout %s", async (value, shown) => {
    expect(messages(await load(withOperation(`timeout: ${value}`, "commands:", "  start: make")))).toEqual([
      `.upsun/config.yaml:6:18 applications.app.operations.x.timeout: expected a positive integer (seconds), got ${shown}`,
    ]);
  });

  it("accepts a positive integer timeout, and none", async () => {
    expect(
      ok(await load(withOperation("timeout: 3600", "commands:", "  start: make"))).operations[0]?.timeout,
    ).toBe(3600);
    expect(
      ok(await load(withOperation("timeout:", "commands:", "  start: make"))).operations[0]?.timeout,
    ).toBeNull();
  });

  it("reports worker operation errors under the worker's path", async () => {
    const text = yaml(
      "applications:",
      "  app:",
      "    workers:",
      "      queue:",
      "        commands:",
      "          start: php worker.php",
      "        operations:",
      "          drain:",
      "            role: root",
      "            timeout: 2.5",
      "            commands:",
      "              stop: 1",
    );
    expect(messages(await load(text))).toEqual([
      '.upsun/config.yaml:9:19 applications.app.workers.queue.operations.drain.role: expected viewer, contributor or admin, got "root"',
      ".upsun/config.yaml:10:22 applications.app.workers.queue.operations.drain.timeout: expected a positive integer (seconds), got 2.5",
      ".upsun/config.yaml:11:13 applications.app.workers.queue.operations.drain.commands.start: required: the command the operation runs",
      ".upsun/config.yaml:12:21 applications.app.workers.queue.operations.drain.commands.stop: expected a string, got 1",
    ]);
  });

  it("reports every issue of every app, sorted by position", async () => {
    const text = yaml(
      "applications:",
      "  one:",
      "    source: { root: ../up }",
      "    operations:",
      "      a: { role: owner, commands: { start: a } }",
      "  two:",
      "    variables:",
      "      env:",
      "        LIST: [1, 2]",
      "    operations: [not, a, mapping]",
    );
    expect(messages(await load(text))).toEqual([
      '.upsun/config.yaml:3:21 applications.one.source.root: "../up" points outside the project directory',
      '.upsun/config.yaml:5:18 applications.one.operations.a.role: expected viewer, contributor or admin, got "owner"',
      ".upsun/config.yaml:9:15 applications.two.variables.env.LIST: expected a string, number, boolean or null, got a list",
      ".upsun/config.yaml:10:17 applications.two.operations: expected a mapping of operation names, got a list",
    ]);
  });

  it("reports a YAML syntax error with its position", async () => {
    const text = yaml(
      "applications:",
      "  app:",
      "    operations: {",
      "      x: { commands: { start: make } }",
      "routes: {}",
    );
    const issues = messages(await load(text));
    expect(issues.length).toBeGreaterThan(0);
    expect(issues[0]).toMatch(/^\.upsun\/config\.yaml:\d+:\d+ ?.*YAML syntax error: /);
    const unterminated = yaml("applications:", "  app:", "    source:", '      root: "\\"', "    type: php");
    expect(messages(await load(unterminated, ".upsun/app.yaml"))).toEqual([
      '.upsun/app.yaml:4:13 applications.app.source.root: YAML syntax error: Missing closing "quote',
    ]);
  });

  it("gives the same positions and values for CRLF input as for LF", async () => {
    const lf = yaml(
      "applications:",
      "  app:",
      "    operations:",
      "      good:",
      "        commands:",
      "          start: |",
      "            echo one",
      "            echo two",
      "      bad:",
      "        role: owner",
      "        timeout: 1.5",
      "        commands:",
      "          start: make",
    );
    const crlf = lf.replace(/\n/g, "\r\n");
    expect(crlf).toContain("\r\n");
    expect(await load(crlf)).toEqual(await load(lf));
    expect(messages(await load(crlf))).toEqual([
      '.upsun/config.yaml:10:15 applications.app.operations.bad.role: expected viewer, contributor or admin, got "owner"',
      ".upsun/config.yaml:11:18 applications.app.operations.bad.timeout: expected a positive integer (seconds), got 1.5",
    ]);
    const good = ok(await load(crlf.replace(/ +role: owner\r\n +timeout: 1\.5\r\n/, "")));
    expect(good.operations.map((o) => o.start)).toEqual(["echo one\necho two\n", "make"]);
  });
});

describe("readConfig, one file: source.root and env", () => {
  const rootOf = async (root: string) => {
    const result = await load(
      yaml("applications:", "  app:", "    source:", `      root: ${JSON.stringify(root)}`),
    );
    return result.ok ? result.config.apps[0]?.sourceRoot : result.issues.map(formatConfigIssue);
  };

  it.each([
    ["/", ""],
    ["", ""],
    [".", ""],
    ["/backend", "backend"],
    ["backend/", "backend"],
    ["./apps//api/./", "apps/api"],
    ["a/../b", "b"],
    ["mercure/.config", "mercure/.config"],
  ])("normalises %j to %j", async (root, expected) => {
    expect(await rootOf(root)).toBe(expected);
  });

  it.each(["..", "../other", "/../etc", "a/../../b", "./.."])(
    "refuses %j, which escapes the target",
    async (root) => {
      expect(await rootOf(root)).toEqual([
        `.upsun/config.yaml:4:13 applications.app.source.root: ${JSON.stringify(root)} points outside the project directory`,
      ]);
    },
  );

  it("refuses a non-string root and treats a null one as the root", async () => {
    expect(messages(await load(yaml("applications:", "  app:", "    source: { root: 42 }")))).toEqual([
      ".upsun/config.yaml:3:21 applications.app.source.root: expected a string, got 42",
    ]);
    expect(
      ok(await load(yaml("applications:", "  app:", "    source: { root: null }"))).apps[0]?.sourceRoot,
    ).toBe("");
  });

  it("stringifies scalar env values, YAML 1.1 style (as PyYAML: yes/no/on/off, not y/n); keys stay as written", async () => {
    const config = ok(
      await load(
        yaml(
          "applications:",
          "  app:",
          "    variables:",
          "      php: { memory_limit: 256M }",
          "      env:",
          "        S: text",
          "        N: 8080",
          "        F: 1.5",
          "        B: false",
          "        YES: yes",
          "        OFF: off",
          "        OCT: 0755",
          "        Y: y",
          "        ON: n",
          "        EMPTY:",
          "        TILDE: ~",
          "        DATE: 2024-01-31",
        ),
      ),
    );
    expect(config.apps[0]?.env).toEqual({
      S: "text",
      N: "8080",
      F: "1.5",
      B: "false",
      YES: "true",
      OFF: "false",
      OCT: "493",
      Y: "y",
      ON: "n",
      EMPTY: "",
      TILDE: "",
      DATE: "2024-01-31",
    });
  });

  it("refuses env names a process environment cannot hold, and NUL bytes, reporting all at once", async () => {
    const text = yaml(
      "applications:",
      "  app:",
      "    variables:",
      "      env:",
      '        "A=B": 1',
      '        "": 2',
      '        OK: "x\\0y"',
    );
    expect(messages(await load(text))).toEqual([
      '.upsun/config.yaml:5:16 applications.app.variables.env["A=B"]: invalid environment variable name "A=B"',
      '.upsun/config.yaml:6:13 applications.app.variables.env[""]: invalid environment variable name ""',
      ".upsun/config.yaml:7:13 applications.app.variables.env.OK: must not contain a NUL character",
    ]);
  });

  it("refuses non-scalar env values and env that is not a mapping", async () => {
    expect(
      messages(
        await load(yaml("applications:", "  app:", "    variables:", "      env:", "        M: { a: 1 }")),
      ),
    ).toEqual([
      ".upsun/config.yaml:5:12 applications.app.variables.env.M: expected a string, number, boolean or null, got a mapping",
    ]);
    expect(
      messages(await load(yaml("applications:", "  app:", "    variables:", "      env: [A=1]"))),
    ).toEqual([".upsun/config.yaml:4:12 applications.app.variables.env: expected a mapping, got a list"]);
  });
});

describe("readConfig, one file: YAML features real configs use", () => {
  it("resolves anchors, aliases and merge keys, and reports errors where the anchor is written", async () => {
    const text = yaml(
      ".defaults: &defaults", //                      1
      "  role: admin", //                             2
      "  timeout: 60", //                             3
      ".bad: &bad", //                                4
      "  role: superuser", //                         5
      "applications:", //                             6
      "  app:", //                                    7
      "    operations:", //                           8
      "      a:", //                                  9
      "        <<: *defaults", //                     10
      "        commands: { start: a }", //            11
      "      b:", //                                  12
      "        <<: *defaults", //                     13
      "        role: viewer", //                      14
      "        commands: &cmd { start: b }", //       15
      "      c:", //                                  16
      "        <<: [*bad, *defaults]", //             17
      "        commands: *cmd", //                    18
    );
    expect(messages(await load(text))).toEqual([
      '.upsun/config.yaml:5:9 applications.app.operations.c.role: expected viewer, contributor or admin, got "superuser"',
    ]);
    const fixed = ok(await load(text.replace("superuser", "contributor")));
    expect(fixed.operations.map((o) => [o.name, o.role, o.timeout, o.start])).toEqual([
      ["a", "admin", 60, "a"],
      ["b", "viewer", 60, "b"],
      ["c", "contributor", 60, "b"],
    ]);
  });

  it("merges a list of mappings given through an alias", async () => {
    const text = yaml(
      ".layers: &layers [{ role: admin }, { role: viewer, timeout: 5 }]",
      "applications:",
      "  app:",
      "    operations:",
      "      x:",
      "        <<: *layers",
      "        commands: { start: s }",
    );
    expect(ok(await load(text)).operations[0]).toMatchObject({ role: "admin", timeout: 5 });
  });

  it("accepts !include, !archive and unknown tags anywhere Upsun may put them", async () => {
    const text = yaml(
      "applications:",
      "  app:",
      "    hooks:",
      "      build: !include",
      "        type: string",
      "        path: build.sh",
      "    web:",
      "      locations: !include web.locations.yaml",
      "    custom: !future-tag { a: 1 }",
      "    list: !future-tag [1, 2]",
      "    scalar: !!python/str x",
      "    operations:",
      "      x: { commands: { start: !shell 'make' } }",
      "services:",
      "  solr:",
      "    configuration:",
      "      cores:",
      "        main:",
      "          conf_dir: !archive core1-conf",
      "      seq: !archive [a]",
    );
    const config = ok(await load(text));
    expect(config.operations[0]?.start).toBe("make");
  });

  it("refuses an !include where runops needs the value, with a clear message", async () => {
    const text = withOperation("commands:", "  start: !include { type: string, path: run.sh }");
    expect(messages(await load(text))).toEqual([
      ".upsun/config.yaml:7:27 applications.app.operations.x.commands.start: expected a string, got an unresolved !include tag (runops does not read files referenced from the config)",
    ]);
  });

  it("keeps the last of duplicate keys, as Upsun does", async () => {
    const text = yaml(
      "applications:",
      "  app:",
      "    operations:",
      "      x: { role: admin, commands: { start: first } }",
      "      x: { role: viewer, commands: { start: second } }",
      "    relationships:",
      "      database: db:mysql",
      "      database: db:postgresql",
    );
    expect(ok(await load(text)).operations).toEqual([
      { app: "app", worker: null, name: "x", role: "viewer", start: "second", stop: null, timeout: null },
    ]);
  });

  it("lets every key Upsun accepts pass untouched", async () => {
    const text = yaml(
      "routes:",
      '  "https://{default}/": { type: upstream, upstream: "app:http" }',
      "services:",
      "  db: { type: postgresql:16 }",
      "tasks: { anything: [1, 2] }",
      "applications:",
      "  app:",
      "    stack: [php@8.3, { nodejs@22: {} }]",
      "    type: composable:25.05",
      "    container_profile: BALANCED",
      "    relationships: { database: }",
      "    mounts: { var: { source: storage } }",
      "    crons: { c: { spec: '* * * * *', commands: { start: x, stop: y } } }",
      "    source: { operations: { update: { command: make } } }",
      "    authorizations: [{ action: operate }]",
      "    web: { commands: { start: node index.js } }",
      "    hooks: { build: 'true' }",
    );
    expect(ok(await load(text))).toEqual({
      apps: [{ name: "app", sourceRoot: "", env: {}, workers: [], workerEnv: {} }],
      operations: [],
    });
  });

  it("accepts empty input, comments only, null or missing applications", async () => {
    const empty = { ok: true, config: { apps: [], operations: [] }, warnings: [] };
    expect(await load("")).toEqual(empty);
    expect(await load("# nothing yet\n")).toEqual(empty);
    expect(await load("applications:\n")).toEqual(empty);
    expect(await load("routes: {}\n")).toEqual(empty);
  });

  it("refuses applications that are not a mapping, and a document that is not one", async () => {
    expect(messages(await load("applications: [app]\n"))).toEqual([
      ".upsun/config.yaml:1:15 applications: expected a mapping of application names, got a list",
    ]);
    expect(messages(await load("- a\n- b\n"))).toEqual([
      ".upsun/config.yaml:1:1: expected a mapping at the top level, got a list",
    ]);
    expect(messages(await load("applications:\n  app: php\n"))).toEqual([
      '.upsun/config.yaml:2:8 applications.app: expected a mapping, got "php"',
    ]);
  });

  it("refuses blank names and keeps odd ones as plain keys", async () => {
    const text = yaml(
      "applications:",
      '  "": {}',
      "  app:",
      "    workers:",
      '      " ": {}',
      "      __proto__: { variables: { env: { W: 1 } } }",
      "      w: 5",
    );
    expect(messages(await load(text))).toEqual([
      '.upsun/config.yaml:2:3 applications[""]: application name must not be empty or blank',
      '.upsun/config.yaml:5:7 applications.app.workers[" "]: worker name must not be empty or blank',
      ".upsun/config.yaml:7:10 applications.app.workers.w: expected a mapping, got 5",
    ]);
    const [app] = ok(
      await load(
        yaml("applications:", "  app:", "    workers:", "      __proto__: { variables: { env: { W: 1 } } }"),
      ),
    ).apps;
    expect(app?.workers).toEqual(["__proto__"]);
    expect(app && envFor(app, "__proto__")).toEqual({ W: "1" });
    expect(app && envFor(app, "toString")).toEqual({});
  });

  it("quotes path segments that would be ambiguous", async () => {
    const text = withOperation("role: owner", "commands: { start: x }").replace("  app:", '  "my.app":');
    expect(messages(await load(text))).toEqual([
      '.upsun/config.yaml:6:15 applications["my.app"].operations.x.role: expected viewer, contributor or admin, got "owner"',
    ]);
  });
});

describe("readConfig, one file: hostile input", () => {
  it("refuses an alias bomb quickly", async () => {
    const lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]'];
    for (let i = 1; i < 10; i++)
      lines.push(
        `a${i}: &a${i} [${Array(9)
          .fill(`*a${i - 1}`)
          .join(", ")}]`,
      );
    lines.push("applications: { app: { operations: { x: { commands: { start: *a9 } } } } }");
    const started = performance.now();
    const result = await load(yaml(...lines));
    expect(performance.now() - started).toBeLessThan(2000);
    expect(messages(result)).toEqual([
      ".upsun/config.yaml:2:10: too many alias expansions (limit 1000): refusing a document that expands exponentially",
    ]);
  });

  it("refuses thousands of aliases even when they expand to little", async () => {
    const lines = [".r: &r admin", "applications:", "  app:", "    operations:"];
    for (let i = 0; i <= MAX_ALIAS_COUNT; i++)
      lines.push(`      op${i}: { role: *r, commands: { start: x } }`);
    const started = performance.now();
    expect(messages(await load(yaml(...lines)))).toEqual([
      `.upsun/config.yaml:5:20: too many aliases (${MAX_ALIAS_COUNT + 1}; the limit is ${MAX_ALIAS_COUNT})`,
    ]);
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it("reports the first syntax errors only", async () => {
    const text = Array.from({ length: 50 }, (_, i) => `k${i}: [`).join("\n");
    const issues = messages(await load(text));
    expect(issues).toHaveLength(MAX_SYNTAX_ISSUES + 1);
    expect(issues[MAX_SYNTAX_ISSUES]).toMatch(/^\.upsun\/config\.yaml: \d+ more YAML syntax errors$/);
  });

  it("reports at most MAX_REPORTED_ISSUES issues, then how many more there are, and stays fast", async () => {
    const lines = ["applications:", "  app:", "    operations:"];
    for (let i = 0; i < 5000; i++) lines.push(`      op${i}: { role: bad, commands: { start: x } }`);
    const started = performance.now();
    const issues = messages(await load(yaml(...lines)));
    expect(performance.now() - started).toBeLessThan(5000);
    expect(issues).toHaveLength(MAX_REPORTED_ISSUES + 1);
    expect(issues[0]).toBe(
      '.upsun/config.yaml:4:20 applications.app.operations.op0.role: expected viewer, contributor or admin, got "bad"',
    );
    expect(issues[MAX_REPORTED_ISSUES]).toBe(
      `.upsun/config.yaml: ${5000 - MAX_REPORTED_ISSUES} more issues not shown`,
    );
  });

  it("still accepts a reasonable number of aliases", async () => {
    const lines = [".cmd: &cmd { start: make }", "applications:", "  app:", "    operations:"];
    for (let i = 0; i < 200; i++) lines.push(`      op${i}: { commands: *cmd }`);
    expect(ok(await load(yaml(...lines))).operations).toHaveLength(200);
  });

  it("refuses input over 1 MiB before parsing it", async () => {
    const big = "applications:\n  app: {}\nx: " + "a".repeat(MAX_CONFIG_BYTES);
    const started = performance.now();
    expect(messages(await load(big))).toEqual([
      `.upsun/config.yaml: file is too large (${big.length} bytes, 1.0 MiB); the limit is 1 MiB`,
    ]);
    expect(performance.now() - started).toBeLessThan(500);
  });

  it("counts bytes, not characters", async () => {
    // 600k two-byte characters: under 1 Mi characters, over 1 MiB of UTF-8
    const result = await load(`x: "${"é".repeat(600_000)}"\n`);
    expect(result.ok).toBe(false);
    expect(messages(result)[0]).toMatch(/too large \(1200006 bytes/);
    expect((await load(`x: "${"é".repeat(400_000)}"\n`)).ok).toBe(true);
  });

  it("does not crash on deeply nested input", async () => {
    const result = await load("[".repeat(50_000));
    expect(result.ok).toBe(false);
  });

  it("refuses a bad merge source with its position instead of throwing", async () => {
    expect(messages(await load(yaml("a:", "  <<: 5", "  b: 1")))).toEqual([
      '.upsun/config.yaml:2:7 a["<<"]: merge key `<<` expects a mapping, an alias of a mapping, or a list of those',
    ]);
  });
});

describe("formatConfigIssue", () => {
  it("omits position and path when unknown", async () => {
    expect(
      formatConfigIssue({ file: ".upsun/", line: 0, column: 0, path: "", message: "no .upsun/ directory" }),
    ).toBe(".upsun/: no .upsun/ directory");
    expect(formatConfigIssue({ file: "f.yaml", line: 3, column: 4, path: "", message: "bad" })).toBe(
      "f.yaml:3:4: bad",
    );
    expect(formatConfigIssue({ file: "f.yaml", line: 3, column: 4, path: "a.b", message: "bad" })).toBe(
      "f.yaml:3:4 a.b: bad",
    );
  });
});
