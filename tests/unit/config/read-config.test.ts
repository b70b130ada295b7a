import { copyFile, mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { afterEach, beforeEach, describe, expect, it } from "vitest";

import { MAX_CONFIG_BYTES } from "../../../lib/config/load-yaml-document";
import { readConfig } from "../../../lib/config/read-config";
import { type ConfigResult, formatConfigIssue, type ParsedConfig } from "../../../lib/config/types";

const REAL_UPSUN = new URL("../../fixtures/real-configs/upsun/", import.meta.url);

const yaml = (...lines: string[]) => lines.join("\n") + "\n";

function ok(result: ConfigResult): ParsedConfig {
  if (!result.ok) throw new Error(result.issues.map(formatConfigIssue).join("\n"));
  return result.config;
}

function messages(result: ConfigResult): string[] {
  if (result.ok) throw new Error("expected the config to be refused");
  return result.issues.map(formatConfigIssue);
}

let target: string;

beforeEach(async () => {
  target = await mkdtemp(path.join(tmpdir(), "runops-config-"));
});

afterEach(async () => {
  await rm(target, { recursive: true, force: true });
});

async function write(name: string, text: string): Promise<void> {
  await mkdir(path.join(target, ".upsun"), { recursive: true });
  await writeFile(path.join(target, ".upsun", name), text);
}

describe("readConfig", () => {
  it("reads .upsun/config.yaml", async () => {
    await mkdir(path.join(target, ".upsun"));
    await copyFile(
      fileURLToPath(new URL("003-artetecha-kedswp.yaml", REAL_UPSUN)),
      path.join(target, ".upsun", "config.yaml"),
    );
    const config = ok(await readConfig(target));
    expect(config.apps.map((a) => [a.name, a.sourceRoot])).toEqual([["keds", "keds"]]);
    expect(config.operations.map((o) => [o.app, o.name, o.role])).toEqual([
      ["keds", "content-import", "admin"],
    ]);
  });

  it("merges every *.yaml and *.yml of .upsun/ in name order, key by key", async () => {
    await write("services.yaml", yaml("services:", "  db: { type: postgresql:16 }"));
    await write(
      "b-worker.yml",
      yaml(
        "applications:",
        "  worker-app:",
        "    operations:",
        "      drain: { role: admin, commands: { start: drain } }",
      ),
    );
    await write(
      "a-web.yaml",
      yaml(
        "routes:",
        '  "https://{default}/": { type: upstream, upstream: "web:http" }',
        "applications:",
        "  web:",
        "    source: { root: /web }",
        "    operations:",
        "      migrate: { commands: { start: migrate } }",
      ),
    );
    await write("notes.txt", "applications: [this is not read]");
    await write("README.md", "# not config");
    await mkdir(path.join(target, ".upsun", "dir.yaml"));
    const config = ok(await readConfig(target));
    expect(config.apps.map((a) => [a.name, a.sourceRoot])).toEqual([
      ["web", "web"],
      ["worker-app", ""],
    ]);
    expect(config.operations.map((o) => [o.app, o.name, o.role])).toEqual([
      ["web", "migrate", "contributor"],
      ["worker-app", "drain", "admin"],
    ]);
  });

  it("follows a symlinked config file", async () => {
    await mkdir(path.join(target, ".upsun"));
    await write(
      "real.txt",
      yaml("applications:", "  app:", "    operations:", "      x: { commands: { start: x } }"),
    );
    await symlink(path.join(target, ".upsun", "real.txt"), path.join(target, ".upsun", "config.yaml"));
    expect(ok(await readConfig(target)).operations.map((o) => o.name)).toEqual(["x"]);
  });

  it("refuses an application defined in two files, naming both", async () => {
    await write("a.yaml", yaml("applications:", "  app:", "    type: php:8.3"));
    await write(
      "b.yaml",
      yaml("services: {}", "applications:", "  other: {}", "  app:", "    type: nodejs:22"),
    );
    expect(messages(await readConfig(target))).toEqual([
      '.upsun/b.yaml:4:3 applications.app: application "app" is already defined in .upsun/a.yaml:2:3; define each application in one file',
    ]);
  });

  it("reports issues of every file with the right file name, in file order", async () => {
    await write(
      "b.yaml",
      yaml(
        "applications:",
        "  two:",
        "    operations:",
        "      y: { timeout: soon, commands: { start: y } }",
      ),
    );
    await write(
      "a.yaml",
      yaml("applications:", "  one:", "    operations:", "      x: { role: owner, commands: { start: x } }"),
    );
    await write(
      "c.yaml",
      yaml("applications:", "  three:", "    source:", '      root: "\\"', "    type: php"),
    );
    expect(messages(await readConfig(target))).toEqual([
      '.upsun/a.yaml:4:18 applications.one.operations.x.role: expected viewer, contributor or admin, got "owner"',
      '.upsun/b.yaml:4:21 applications.two.operations.y.timeout: expected a positive integer (seconds), got "soon"',
      '.upsun/c.yaml:4:13 applications.three.source.root: YAML syntax error: Missing closing "quote',
    ]);
  });

  it("reports a missing .upsun/ directory", async () => {
    const result = await readConfig(target);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues).toEqual([
      { file: ".upsun/", line: 0, column: 0, path: "", message: `no .upsun/ directory in ${target}` },
    ]);
    expect(messages(await readConfig(path.join(target, "does-not-exist")))).toHaveLength(1);
  });

  it("reports a .upsun/ without YAML files", async () => {
    await write("config.json", "{}");
    expect(messages(await readConfig(target))).toEqual([".upsun/: no *.yaml or *.yml file in .upsun/"]);
  });

  it("refuses a file over 1 MiB without parsing it", async () => {
    await write("a.yaml", yaml("applications:", "  app: {}"));
    // Unparseable if it were parsed: proves the size is checked first.
    await write("big.yaml", "[".repeat(MAX_CONFIG_BYTES + 1));
    expect(messages(await readConfig(target))).toEqual([
      `.upsun/big.yaml: file is too large (${MAX_CONFIG_BYTES + 1} bytes, 1.0 MiB); the limit is 1 MiB`,
    ]);
  });

  it("accepts a file of exactly 1 MiB", async () => {
    const head = "applications:\n  app: {}\n# ";
    await write("config.yaml", head + "x".repeat(MAX_CONFIG_BYTES - head.length));
    expect(ok(await readConfig(target)).apps.map((a) => a.name)).toEqual(["app"]);
  });

  it("reads CRLF files like LF ones", async () => {
    const text = yaml(
      "applications:",
      "  app:",
      "    operations:",
      "      x:",
      "        role: owner",
      "        commands: { start: x }",
    );
    await write("lf.yaml", text);
    await write("crlf.yaml", text.replace("app:", "app2:").replace(/\n/g, "\r\n"));
    expect(messages(await readConfig(target))).toEqual([
      '.upsun/crlf.yaml:5:15 applications.app2.operations.x.role: expected viewer, contributor or admin, got "owner"',
      '.upsun/lf.yaml:5:15 applications.app.operations.x.role: expected viewer, contributor or admin, got "owner"',
    ]);
  });
});
