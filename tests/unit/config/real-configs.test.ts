import { readdirSync } from "node:fs";
import { copyFile, mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { readConfig } from "../../../lib/config/read-config";
import {
  type ConfigResult,
  formatConfigIssue,
  formatConfigWarning,
  type OperationDef,
} from "../../../lib/config/types";

// A copy of ../shared/fixtures/real-configs (SOURCES.tsv says where each file came from), kept in the repo so a clean clone tests the same corpus.
const REAL = new URL("../../fixtures/real-configs/", import.meta.url);
const upsunDir = fileURLToPath(new URL("upsun/", REAL));
const platformshDir = fileURLToPath(new URL("platformsh/", REAL));

const upsunFiles = readdirSync(upsunDir)
  .filter((f) => f.endsWith(".yaml"))
  .sort();
const platformshFiles = readdirSync(platformshDir)
  .filter((f) => f.endsWith(".yaml"))
  .sort();
const INVALID = "012-DreamoreWM-un-rendez-vous.yaml";
/** A real file with a key written twice: it loads, last one wins, with a warning. */
const DUPLICATE_KEY = "002-AmeniAyadii-laravel_suivi.yaml";
const DUPLICATE_KEY_WARNING =
  ".upsun/config.yaml:32:3 and .upsun/config.yaml:33:3 relationships.database: `database` is set twice (lines 32 and 33); the second (line 33) wins, as on Upsun";

let base: string;
beforeAll(async () => {
  base = await mkdtemp(path.join(tmpdir(), "runops-real-configs-"));
});
afterAll(async () => {
  await rm(base, { recursive: true, force: true });
});

/** A fixture as a deploy reads it: the .upsun/config.yaml of a target of its own. */
async function load(dir: string, name: string): Promise<ConfigResult> {
  const target = await mkdtemp(path.join(base, "target-"));
  await mkdir(path.join(target, ".upsun"));
  await copyFile(dir + name, path.join(target, ".upsun", "config.yaml"));
  return readConfig(target);
}

async function operationsOf(name: string): Promise<OperationDef[]> {
  const result = await load(upsunDir, name);
  if (!result.ok) throw new Error(result.issues.map(formatConfigIssue).join("\n"));
  return result.config.operations;
}

describe("real Upsun configs", () => {
  it("has the fixtures", async () => {
    expect(upsunFiles.length).toBeGreaterThanOrEqual(60);
    expect(platformshFiles.length).toBeGreaterThanOrEqual(12);
  });

  it.each(upsunFiles.filter((f) => f !== INVALID))("loads %s", async (name) => {
    const result = await load(upsunDir, name);
    expect(result.ok ? [] : result.issues.map(formatConfigIssue)).toEqual([]);
    if (result.ok) expect(result.config.apps.length).toBeGreaterThan(0);
    expect(result.warnings).toEqual([]);
  });

  it("refuses 012 (unterminated string) with file:line:col", async () => {
    const result = await load(upsunDir, INVALID);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues.map(formatConfigIssue)).toEqual([
      '.upsun/config.yaml:6:13 applications.e-demo_salon-demo.source.root: YAML syntax error: Missing closing "quote',
    ]);
  });

  it.each(platformshFiles)("parses Platform.sh file %s without applications", async (name) => {
    const result = await load(platformshDir, name);
    expect(result).toMatchObject({ ok: true, config: { apps: [], operations: [] } });
    expect(result.warnings.map(formatConfigWarning)).toEqual(
      name === DUPLICATE_KEY ? [DUPLICATE_KEY_WARNING] : [],
    );
  });
});

describe("operations of the real configs that define some", () => {
  it("001 upsun/demo-clamav: viewer, multi-line start kept byte for byte", async () => {
    expect(await operationsOf("001-upsun-demo-clamav.yaml")).toEqual([
      {
        app: "in-app_clamav",
        worker: null,
        name: "trigg_clamav",
        role: "viewer",
        // The source line has trailing spaces; a literal block keeps them.
        start: "./scripts/clam_scan-clt.sh            \n",
        stop: null,
        timeout: null,
      },
    ]);
  });

  it("002 upsun/devcenter: no role means contributor", async () => {
    expect(await operationsOf("002-upsun-devcenter.yaml")).toEqual([
      {
        app: "devcenter",
        worker: null,
        name: "update-search-index",
        role: "contributor",
        start: 'bash "${PLATFORM_APP_DIR}"/search.sh',
        stop: null,
        timeout: null,
      },
    ]);
  });

  it("003 artetecha/kedswp: admin", async () => {
    expect(await operationsOf("003-artetecha-kedswp.yaml")).toEqual([
      {
        app: "keds",
        worker: null,
        name: "content-import",
        role: "admin",
        start: "bash scripts/deploy.sh",
        stop: null,
        timeout: null,
      },
    ]);
  });

  it("004 CopticScriptorium/cts: three admin operations on the second app, in file order", async () => {
    const op = (name: string, start: string): OperationDef => ({
      app: "cts",
      worker: null,
      name,
      role: "admin",
      start,
      stop: null,
      timeout: null,
    });
    expect(await operationsOf("004-CopticScriptorium-cts.yaml")).toEqual([
      op("import", "uv run ./addcorpora.sh corpora"),
      op("index", "uvm index_corpora"),
      op("clearcache", "uvm clearcache"),
    ]);
  });

  it("005 upsun/demo-decouple-frontend: viewer operation on the second app", async () => {
    expect(await operationsOf("005-upsun-demo-decouple-frontend.yaml")).toEqual([
      {
        app: "clamav",
        worker: null,
        name: "trigg_clamav",
        role: "viewer",
        start: "./scripts/clam_scan.sh\n",
        stop: null,
        timeout: null,
      },
    ]);
  });

  it("the other fixtures define no runtime operation (source.operations are not runtime operations)", async () => {
    const withOps: string[] = [];
    for (const f of upsunFiles.filter((f) => f !== INVALID)) {
      const result = await load(upsunDir, f);
      if (result.ok && result.config.operations.length > 0) withOps.push(f);
    }
    expect(withOps).toEqual([
      "001-upsun-demo-clamav.yaml",
      "002-upsun-devcenter.yaml",
      "003-artetecha-kedswp.yaml",
      "004-CopticScriptorium-cts.yaml",
      "005-upsun-demo-decouple-frontend.yaml",
    ]);
  });
});

describe("applications of the real configs", () => {
  async function appsOf(name: string) {
    const result = await load(upsunDir, name);
    if (!result.ok) throw new Error(result.issues.map(formatConfigIssue).join("\n"));
    return result.config.apps;
  }

  it("normalises source.root: '/' is the root, '/backend' is relative", async () => {
    expect((await appsOf("001-upsun-demo-clamav.yaml")).map((a) => [a.name, a.sourceRoot])).toEqual([
      ["in-app_clamav", ""],
    ]);
    expect(
      (await appsOf("005-upsun-demo-decouple-frontend.yaml")).map((a) => [a.name, a.sourceRoot]),
    ).toEqual([
      ["app", "backend"],
      ["clamav", "clamav"],
    ]);
    expect((await appsOf("004-CopticScriptorium-cts.yaml")).map((a) => a.sourceRoot)).toEqual([
      "meili_empty_root",
      "coptic",
    ]);
  });

  it("keeps workers and stringifies env values (numbers, booleans, empty values)", async () => {
    const [cocarto] = await appsOf("038-OriPekelman-cocarto.yaml");
    expect(cocarto?.workers).toEqual(["good_job"]);
    expect(cocarto?.env).toMatchObject({
      RAILS_ENV: "production",
      SMTP_PORT: "25",
      COCARTO_DEBUG_SENTRY: "false",
      COCARTO_S3_ACCESS_KEY: "",
    });
    expect(cocarto?.workerEnv?.["good_job"]).toEqual(cocarto?.env);
  });

  it("lists multi-app files in file order", async () => {
    expect((await appsOf("024-gregqualls-upsun-demo-app.yaml")).map((a) => a.name)).toEqual([
      "api-gateway",
      "user-management",
      "payment-processing",
      "inventory-system",
      "notification-center",
      "frontend",
    ]);
  });
});
