import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

import { describe, expect, it } from "vitest";

import { parseConfig } from "../../../lib/config/parse-config";
import { formatConfigIssue, type OperationDef } from "../../../lib/config/types";

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

function load(dir: string, name: string) {
  return parseConfig(readFileSync(dir + name, "utf8"));
}

function operationsOf(name: string): OperationDef[] {
  const result = load(upsunDir, name);
  if (!result.ok) throw new Error(result.issues.map(formatConfigIssue).join("\n"));
  return result.config.operations;
}

describe("real Upsun configs", () => {
  it("has the fixtures", () => {
    expect(upsunFiles.length).toBeGreaterThanOrEqual(60);
    expect(platformshFiles.length).toBeGreaterThanOrEqual(12);
  });

  it.each(upsunFiles.filter((f) => f !== INVALID))("loads %s", (name) => {
    const result = load(upsunDir, name);
    expect(result.ok ? [] : result.issues.map(formatConfigIssue)).toEqual([]);
    if (result.ok) expect(result.config.apps.length).toBeGreaterThan(0);
  });

  it("refuses 012 (unterminated string) with file:line:col", () => {
    const result = load(upsunDir, INVALID);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues.map(formatConfigIssue)).toEqual([
      '.upsun/config.yaml:6:13 applications.e-demo_salon-demo.source.root: YAML syntax error: Missing closing "quote',
    ]);
  });

  it.each(platformshFiles)("parses Platform.sh file %s without applications", (name) => {
    const result = load(platformshDir, name);
    expect(result).toEqual({ ok: true, config: { apps: [], operations: [] } });
  });
});

describe("operations of the real configs that define some", () => {
  it("001 upsun/demo-clamav: viewer, multi-line start kept byte for byte", () => {
    expect(operationsOf("001-upsun-demo-clamav.yaml")).toEqual([
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

  it("002 upsun/devcenter: no role means contributor", () => {
    expect(operationsOf("002-upsun-devcenter.yaml")).toEqual([
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

  it("003 artetecha/kedswp: admin", () => {
    expect(operationsOf("003-artetecha-kedswp.yaml")).toEqual([
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

  it("004 CopticScriptorium/cts: three admin operations on the second app, in file order", () => {
    const op = (name: string, start: string): OperationDef => ({
      app: "cts",
      worker: null,
      name,
      role: "admin",
      start,
      stop: null,
      timeout: null,
    });
    expect(operationsOf("004-CopticScriptorium-cts.yaml")).toEqual([
      op("import", "uv run ./addcorpora.sh corpora"),
      op("index", "uvm index_corpora"),
      op("clearcache", "uvm clearcache"),
    ]);
  });

  it("005 upsun/demo-decouple-frontend: viewer operation on the second app", () => {
    expect(operationsOf("005-upsun-demo-decouple-frontend.yaml")).toEqual([
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

  it("the other fixtures define no runtime operation (source.operations are not runtime operations)", () => {
    const withOps = upsunFiles
      .filter((f) => f !== INVALID)
      .filter((f) => {
        const result = load(upsunDir, f);
        return result.ok && result.config.operations.length > 0;
      });
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
  function appsOf(name: string) {
    const result = load(upsunDir, name);
    if (!result.ok) throw new Error(result.issues.map(formatConfigIssue).join("\n"));
    return result.config.apps;
  }

  it("normalises source.root: '/' is the root, '/backend' is relative", () => {
    expect(appsOf("001-upsun-demo-clamav.yaml").map((a) => [a.name, a.sourceRoot])).toEqual([
      ["in-app_clamav", ""],
    ]);
    expect(appsOf("005-upsun-demo-decouple-frontend.yaml").map((a) => [a.name, a.sourceRoot])).toEqual([
      ["app", "backend"],
      ["clamav", "clamav"],
    ]);
    expect(appsOf("004-CopticScriptorium-cts.yaml").map((a) => a.sourceRoot)).toEqual([
      "meili_empty_root",
      "coptic",
    ]);
  });

  it("keeps workers and stringifies env values (numbers, booleans, empty values)", () => {
    const [cocarto] = appsOf("038-OriPekelman-cocarto.yaml");
    expect(cocarto?.workers).toEqual(["good_job"]);
    expect(cocarto?.env).toMatchObject({
      RAILS_ENV: "production",
      SMTP_PORT: "25",
      COCARTO_DEBUG_SENTRY: "false",
      COCARTO_S3_ACCESS_KEY: "",
    });
    expect(cocarto?.workerEnv?.["good_job"]).toEqual(cocarto?.env);
  });

  it("lists multi-app files in file order", () => {
    expect(appsOf("024-gregqualls-upsun-demo-app.yaml").map((a) => a.name)).toEqual([
      "api-gateway",
      "user-management",
      "payment-processing",
      "inventory-system",
      "notification-center",
      "frontend",
    ]);
  });
});
