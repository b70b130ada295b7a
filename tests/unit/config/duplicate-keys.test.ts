import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { afterEach, beforeEach, describe, expect, it } from "vitest";

import { MAX_REPORTED_ISSUES } from "../../../lib/config/order-issues";
import { readConfig } from "../../../lib/config/read-config";
import {
  type ConfigResult,
  formatConfigIssue,
  formatConfigWarning,
  type ParsedConfig,
} from "../../../lib/config/types";

const yaml = (...lines: string[]) => lines.join("\n") + "\n";

let target: string;

beforeEach(async () => {
  target = await mkdtemp(path.join(tmpdir(), "runops-duplicates-"));
  await mkdir(path.join(target, ".upsun"));
});

afterEach(async () => {
  await rm(target, { recursive: true, force: true });
});

async function read(files: Record<string, string>): Promise<ConfigResult> {
  for (const [name, text] of Object.entries(files)) {
    await writeFile(path.join(target, ".upsun", name), text);
  }
  return readConfig(target);
}

function ok(result: ConfigResult): ParsedConfig {
  if (!result.ok) throw new Error(result.issues.map(formatConfigIssue).join("\n"));
  return result.config;
}

const warnings = (result: ConfigResult) => result.warnings.map(formatConfigWarning);

describe("keys set twice in a mapping", () => {
  it("loads a role set twice with the second, as Upsun does, and says so with both positions", async () => {
    const result = await read({
      "config.yaml": yaml(
        "applications:", //                       1
        "  app:", //                              2
        "    operations:", //                     3
        "      clear:", //                        4
        "        role: viewer", //                5
        "        commands:", //                   6
        "          start: make clear", //         7
        "        role: admin", //                 8
      ),
    });
    expect(ok(result).operations.map((o) => [o.name, o.role])).toEqual([["clear", "admin"]]);
    expect(result.warnings).toEqual([
      {
        file: ".upsun/config.yaml",
        path: "applications.app.operations.clear.role",
        first: { line: 5, column: 9 },
        kept: { line: 8, column: 9 },
        message: "`role` is set twice (lines 5 and 8); the second (line 8) wins, as on Upsun",
      },
    ]);
    expect(warnings(result)).toEqual([
      ".upsun/config.yaml:5:9 and .upsun/config.yaml:8:9 applications.app.operations.clear.role: `role` is set twice (lines 5 and 8); the second (line 8) wins, as on Upsun",
    ]);
  });

  it("warns about an operation defined twice: the second definition is the one that runs", async () => {
    const result = await read({
      "config.yaml": yaml(
        "applications:", //                                            1
        "  app:", //                                                   2
        "    operations:", //                                          3
        "      purge: { role: viewer, commands: { start: echo a } }", // 4
        "      other: { commands: { start: echo b } }", //             5
        "      purge: { role: admin, commands: { start: echo c } }", // 6
      ),
    });
    expect(ok(result).operations.map((o) => [o.name, o.role, o.start])).toEqual([
      ["purge", "admin", "echo c"],
      ["other", "contributor", "echo b"],
    ]);
    expect(warnings(result)).toEqual([
      ".upsun/config.yaml:4:7 and .upsun/config.yaml:6:7 applications.app.operations.purge: `purge` is set twice (lines 4 and 6); the second (line 6) wins, as on Upsun",
    ]);
  });

  it("warns in nested mappings, in workers and in the keys runops does not read", async () => {
    const result = await read({
      "config.yaml": yaml(
        "applications:", //                1
        "  app:", //                       2
        "    variables:", //               3
        "      env:", //                   4
        "        MODE: first", //          5
        "        MODE: second", //         6
        "    workers:", //                 7
        "      queue:", //                 8
        "        commands:", //            9
        "          start: work", //        10
        "          start: work harder", // 11
        "routes:", //                      12
        '  "https://{default}/":', //      13
        "    type: upstream", //           14
        "    type: redirect", //           15
      ),
    });
    expect(ok(result).apps[0]?.env).toEqual({ MODE: "second" });
    expect(warnings(result)).toEqual([
      ".upsun/config.yaml:5:9 and .upsun/config.yaml:6:9 applications.app.variables.env.MODE: `MODE` is set twice (lines 5 and 6); the second (line 6) wins, as on Upsun",
      ".upsun/config.yaml:10:11 and .upsun/config.yaml:11:11 applications.app.workers.queue.commands.start: `start` is set twice (lines 10 and 11); the second (line 11) wins, as on Upsun",
      '.upsun/config.yaml:14:5 and .upsun/config.yaml:15:5 routes["https://{default}/"].type: `type` is set twice (lines 14 and 15); the second (line 15) wins, as on Upsun',
    ]);
  });

  it("counts a key set three times once, and gives columns when they share a line", async () => {
    const result = await read({
      "config.yaml": yaml(
        "applications:",
        "  app:",
        "    source: { root: a, root: b, root: c }",
        "    type: php:8.2",
        "    type: php:8.3",
        "    type: php:8.4",
      ),
    });
    expect(ok(result).apps[0]?.sourceRoot).toBe("c");
    expect(warnings(result)).toEqual([
      ".upsun/config.yaml:3:15 and .upsun/config.yaml:3:33 applications.app.source.root: `root` is set 3 times (at 3:15, 3:24 and 3:33); the last (3:33) wins, as on Upsun",
      ".upsun/config.yaml:4:5 and .upsun/config.yaml:6:5 applications.app.type: `type` is set 3 times (lines 4, 5 and 6); the last (line 6) wins, as on Upsun",
    ]);
  });

  it("does not count merge keys, overrides of merged keys or aliases as duplicates", async () => {
    const result = await read({
      "config.yaml": yaml(
        ".defaults: &defaults { role: admin, timeout: 60 }",
        ".commands: &commands { commands: { start: make } }",
        "applications:",
        "  app:",
        "    operations:",
        "      one:",
        "        <<: *defaults",
        "        <<: *commands",
        "        role: viewer",
        "      two:",
        "        <<: [*defaults, *commands]",
        "        timeout: 5",
        "      three: *commands",
        "      four: *commands",
      ),
    });
    expect(ok(result).operations.map((o) => [o.name, o.role, o.timeout])).toEqual([
      ["one", "viewer", 60],
      ["two", "admin", 5],
      ["three", "contributor", null],
      ["four", "contributor", null],
    ]);
    expect(result.warnings).toEqual([]);
  });

  it("reports a duplicate inside an anchored mapping once, where it is written", async () => {
    const result = await read({
      "config.yaml": yaml(
        ".op: &op",
        "  role: viewer",
        "  role: admin",
        "  commands: { start: make }",
        "applications:",
        "  app:",
        "    operations:",
        "      one: *op",
        "      two: { <<: *op }",
      ),
    });
    expect(ok(result).operations.map((o) => [o.name, o.role])).toEqual([
      ["one", "admin"],
      ["two", "admin"],
    ]);
    expect(warnings(result)).toEqual([
      '.upsun/config.yaml:2:3 and .upsun/config.yaml:3:3 [".op"].role: `role` is set twice (lines 2 and 3); the second (line 3) wins, as on Upsun',
    ]);
  });

  it("gives each file's positions, in file order, and never refuses a config for it", async () => {
    const result = await read({
      "b-worker.yaml": yaml(
        "applications:",
        "  worker-app:",
        "    operations:",
        "      drain:",
        "        commands: { start: drain }",
        "        role: viewer",
        "        role: admin",
      ),
      "a-web.yaml": yaml(
        "applications:",
        "  web:",
        "    source: { root: web }",
        "    source: { root: web2 }",
      ),
    });
    expect(ok(result).apps.map((a) => [a.name, a.sourceRoot])).toEqual([
      ["web", "web2"],
      ["worker-app", ""],
    ]);
    expect(warnings(result)).toEqual([
      ".upsun/a-web.yaml:3:5 and .upsun/a-web.yaml:4:5 applications.web.source: `source` is set twice (lines 3 and 4); the second (line 4) wins, as on Upsun",
      ".upsun/b-worker.yaml:6:9 and .upsun/b-worker.yaml:7:9 applications.worker-app.operations.drain.role: `role` is set twice (lines 6 and 7); the second (line 7) wins, as on Upsun",
    ]);
  });

  it("comes with the errors of a refused config: the kept value may be the one in error", async () => {
    const result = await read({
      "config.yaml": yaml(
        "applications:",
        "  app:",
        "    operations:",
        "      x:",
        "        role: admin",
        "        role: owner",
        "        commands: { start: make }",
      ),
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues.map(formatConfigIssue)).toEqual([
      '.upsun/config.yaml:6:15 applications.app.operations.x.role: expected viewer, contributor or admin, got "owner"',
    ]);
    expect(warnings(result)).toEqual([
      ".upsun/config.yaml:5:9 and .upsun/config.yaml:6:9 applications.app.operations.x.role: `role` is set twice (lines 5 and 6); the second (line 6) wins, as on Upsun",
    ]);
  });

  it("shows at most MAX_REPORTED_ISSUES warnings, then how many more there are", async () => {
    const lines = ["applications:", "  app:", "    variables:", "      env:"];
    for (let i = 0; i < MAX_REPORTED_ISSUES + 20; i++) lines.push(`        V${i}: a`, `        V${i}: b`);
    const result = await read({ "config.yaml": yaml(...lines) });
    expect(ok(result).apps[0]?.env["V0"]).toBe("b");
    expect(result.warnings).toHaveLength(MAX_REPORTED_ISSUES + 1);
    expect(warnings(result)[0]).toBe(
      ".upsun/config.yaml:5:9 and .upsun/config.yaml:6:9 applications.app.variables.env.V0: `V0` is set twice (lines 5 and 6); the second (line 6) wins, as on Upsun",
    );
    expect(warnings(result)[MAX_REPORTED_ISSUES]).toBe(
      ".upsun/config.yaml: 20 more duplicate keys not shown",
    );
  });
});
