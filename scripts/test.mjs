#!/usr/bin/env node
// `npm test`: format, lint, types, unit, integration (SQLite + PostgreSQL), e2e (Chromium).
// Each step stops the run on failure. PostgreSQL is started by the integration
// setup itself (tests/support/postgres.ts); Chromium is installed here if absent.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

process.env.NEXT_TELEMETRY_DISABLED = "1";

function step(name, command, args) {
  const started = Date.now();
  console.log(`\n▶ ${name}`);
  const result = spawnSync(command, args, { stdio: "inherit", env: process.env });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (result.status !== 0) {
    console.error(`✖ ${name} failed (${seconds}s)`);
    process.exit(result.status ?? 1);
  }
  console.log(`✔ ${name} (${seconds}s)`);
}

function ensureChromium() {
  const path = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
  if (existsSync(path)) return;
  if (process.getuid?.() !== 0) {
    console.error(
      "Chromium is missing: run `sudo apt-get install -y chromium` (or set CHROMIUM_PATH), then npm test.",
    );
    process.exit(1);
  }
  step("install Debian's chromium", "sh", [
    "-c",
    "apt-get update -qq && apt-get install -y -qq chromium >/dev/null",
  ]);
}

step("format", "npx", ["prettier", "--check", "."]);
step("lint", "npx", ["eslint", "."]);
step("typecheck", "sh", ["-c", "npx next typegen >/dev/null && npx tsc --noEmit"]);
step("migrations cover the schema", "node", ["scripts/db/new-migration.mjs", "--check"]);
step("unit and integration tests", "npx", ["vitest", "run"]);
ensureChromium();
step("end-to-end tests", "npx", ["playwright", "test"]);
