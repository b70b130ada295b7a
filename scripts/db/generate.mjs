#!/usr/bin/env node
// Generates both Prisma clients without any download (package.json
// `postinstall`; run `npm run postinstall` by hand after editing the schema).
//
//   1. derives prisma/postgres/schema.prisma from prisma/schema.prisma;
//   2. runs the stock `prisma generate` for each schema, in parallel, with
//      PRISMA_SCHEMA_ENGINE_BINARY naming a stand-in file (generate never runs
//      the engine, it only checks that the file exists) and update checks off.
//
// Skips step 2 when nothing changed since the last run (stamp file in
// lib/db/generated); `--force` regenerates anyway.
// See docs/decisions/0002-prisma-offline.md.
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative } from "node:path";
import { PROVIDERS, ROOT, UserError, readSchemas, writeIfChanged } from "./schemas.mjs";

const require = createRequire(import.meta.url);
const GENERATED = join(ROOT, "lib/db/generated");
const STAMP = join(GENERATED, ".stamp");
const DUMMY_ENGINE = join(ROOT, "scripts/db/no-schema-engine.mjs");

function packageVersion(name) {
  try {
    return JSON.parse(readFileSync(require.resolve(`${name}/package.json`), "utf8")).version;
  } catch {
    throw new UserError(`Cannot find the \`${name}\` package. Run \`npm install\` (or \`npm ci\`) first.`);
  }
}

function runPrismaGenerate(cli, schemaPath) {
  const env = { ...process.env };
  if (!env.PRISMA_SCHEMA_ENGINE_BINARY || !existsSync(env.PRISMA_SCHEMA_ENGINE_BINARY)) {
    env.PRISMA_SCHEMA_ENGINE_BINARY = DUMMY_ENGINE;
  }
  env.CHECKPOINT_DISABLE = "1"; // no update check / telemetry request
  env.PRISMA_HIDE_UPDATE_MESSAGE = "1";
  env.PRISMA_ENGINES_CHECKSUM_IGNORE_MISSING = "1";
  const args = [cli, "generate", "--schema", relative(ROOT, schemaPath)];
  return new Promise((resolvePromise) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.stderr.on("data", (chunk) => (output += chunk));
    child.on("error", (error) => resolvePromise({ ok: false, output: `${output}${error.message}\n` }));
    child.on("close", (code, signal) => {
      resolvePromise({ ok: code === 0, output: code === 0 ? output : `${output}(exit ${code ?? signal})\n` });
    });
  });
}

async function main() {
  const force = process.argv.includes("--force");
  const schemas = readSchemas();

  const pgSchemaPath = PROVIDERS.postgresql.schemaPath;
  mkdirSync(dirname(pgSchemaPath), { recursive: true });
  if (writeIfChanged(pgSchemaPath, schemas.postgresql)) {
    console.log(`db:generate: wrote ${relative(ROOT, pgSchemaPath)}`);
  }

  const prismaVersion = packageVersion("prisma");
  const clientVersion = packageVersion("@prisma/client");
  const stamp = createHash("sha256")
    .update(JSON.stringify([prismaVersion, clientVersion, schemas.sqlite, schemas.postgresql]))
    .digest("hex");
  const outputs = ["sqlite", "postgres"].map((dir) => join(GENERATED, dir, "client.ts"));
  if (
    !force &&
    existsSync(STAMP) &&
    readFileSync(STAMP, "utf8").trim() === stamp &&
    outputs.every((file) => existsSync(file))
  ) {
    console.log("db:generate: Prisma clients are up to date (use --force to regenerate)");
    return;
  }

  const cli = join(dirname(require.resolve("prisma/package.json")), "build/index.js");
  rmSync(STAMP, { force: true });
  const started = Date.now();
  const results = await Promise.all(
    [PROVIDERS.sqlite, PROVIDERS.postgresql].map(async (p) => ({
      provider: p.provider,
      ...(await runPrismaGenerate(cli, p.schemaPath)),
    })),
  );
  const failed = results.filter((r) => !r.ok);
  if (failed.length > 0) {
    for (const r of failed) {
      process.stderr.write(`\n--- prisma generate (${r.provider}) output ---\n${r.output}`);
    }
    throw new UserError(
      `prisma generate failed for ${failed.map((r) => r.provider).join(" and ")} (output above). ` +
        "Fix prisma/schema.prisma, then run `npm run postinstall`.",
    );
  }
  for (const file of outputs) {
    if (!existsSync(file)) throw new UserError(`prisma generate did not produce ${relative(ROOT, file)}.`);
  }
  mkdirSync(GENERATED, { recursive: true });
  writeFileSync(STAMP, `${stamp}\n`);
  console.log(
    `db:generate: generated Prisma clients (sqlite, postgres) in ${relative(ROOT, GENERATED)} ` +
      `in ${((Date.now() - started) / 1000).toFixed(1)}s`,
  );
}

main().catch((error) => {
  if (error instanceof UserError) {
    console.error(`db:generate: ${error.message}`);
  } else {
    console.error("db:generate: unexpected failure:", error);
  }
  process.exit(1);
});
