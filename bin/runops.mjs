#!/usr/bin/env node
// The `runops` command. The CLI is TypeScript (cli/), run without a build
// step, so `npx runops` works straight from a clone and `npm link` installs it.
//
// Start-up speed: tsx's loader costs ~0.3 s per start (a loader thread, then
// each module through it). So the first start after cli/ (or the API schemas
// it imports from lib/api) changed bundles it with esbuild (tsx's own
// compiler) into node_modules/.cache/runops-cli/, and later starts import
// that plain JavaScript (~0.1 s). When bundling is not possible (no esbuild,
// read-only install), tsx's loader runs the sources.
import { createHash } from "node:crypto";
import { readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const sources = path.join(root, "cli");
/**
 * Lists the files outside cli/ that the last bundle took in (the API's schemas
 * in lib/api, which the CLI parses answers with): a change to them rebuilds too.
 */
const MANIFEST = "shared-inputs.json";

if (process.argv[2] === "worker") {
  // `runops worker`: the execution plane (lib/worker/main.ts), not the API client.
  const { register } = await import("tsx/esm/api");
  register();
  const worker = await import(pathToFileURL(path.join(root, "lib", "worker", "main.ts")).href);
  await worker.main(process.argv.slice(3)).catch((error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
} else {
  const main = (await loadBundled().catch(() => null)) ?? (await loadWithTsx());
  process.exitCode = await main(process.argv.slice(2));
}

async function loadWithTsx() {
  const { register } = await import("tsx/esm/api");
  register();
  return (await import(pathToFileURL(path.join(sources, "main.ts")).href)).main;
}

async function loadBundled() {
  if (process.env.RUNOPS_CLI_NO_BUNDLE) return null;
  const cache = path.join(root, "node_modules", ".cache", "runops-cli");
  let entry = path.join(cache, sourceKey(sharedInputs(cache)), "main.mjs");
  if (!exists(entry)) entry = await bundle(cache);
  return (await import(pathToFileURL(entry).href)).main;
}

/** The files outside cli/ that the last bundle took in, as `bundle` recorded them. */
function sharedInputs(cache) {
  try {
    const list = JSON.parse(readFileSync(path.join(cache, MANIFEST), "utf8"));
    return Array.isArray(list) ? list.filter((f) => typeof f === "string") : [];
  } catch {
    return [];
  }
}

/** Changes whenever a file under cli/, one of `shared` or package.json does. */
function sourceKey(shared) {
  // The layout's version: bundles made before the manifest existed are not reused.
  const hash = createHash("sha256").update("manifest 1\n");
  const add = (file) => {
    const stat = statOrNull(file);
    hash.update(`${path.relative(root, file)}:${stat ? `${stat.size}:${stat.mtimeMs}` : "missing"}\n`);
  };
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) =>
      a.name < b.name ? -1 : 1,
    )) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(file);
      else add(file);
    }
  };
  walk(sources);
  for (const file of shared) add(path.join(root, file));
  add(path.join(root, "package.json"));
  return hash.digest("hex").slice(0, 16);
}

/** Bundles cli/ and what it imports; returns the bundle's entry. */
async function bundle(cache) {
  // esbuild is tsx's dependency: resolve it from there, wherever npm put it.
  const fromTsx = createRequire(createRequire(import.meta.url).resolve("tsx/package.json"));
  const esbuild = await import(pathToFileURL(fromTsx.resolve("esbuild")).href);
  const temp = path.join(cache, `build.${process.pid}.tmp`);
  const result = await esbuild.build({
    entryPoints: { main: path.join(sources, "main.ts") },
    absWorkingDir: root,
    bundle: true,
    // Commands stay in their own chunks, loaded when used: `--help` never loads zod.
    splitting: true,
    format: "esm",
    platform: "node",
    target: "node20",
    outdir: temp,
    outExtension: { ".js": ".mjs" },
    chunkNames: "chunks/[name]-[hash]",
    metafile: true,
    logLevel: "silent",
  });
  // Named after what it was built from, including the files outside cli/ it took in,
  // so the next start finds it with the manifest written here.
  const shared = Object.keys(result.metafile.inputs)
    .filter((file) => !file.startsWith("cli/") && !file.includes("node_modules/"))
    .sort();
  const dir = path.join(cache, sourceKey(shared));
  try {
    renameSync(temp, dir);
  } catch {
    // Another process built the same sources at the same moment: use its copy.
    rmSync(temp, { recursive: true, force: true });
  }
  const manifest = path.join(cache, `${MANIFEST}.${process.pid}.tmp`);
  writeFileSync(manifest, `${JSON.stringify(shared)}\n`);
  renameSync(manifest, path.join(cache, MANIFEST));
  // Bundles of older sources, unless recent (a process started before the change may still load chunks).
  for (const name of readdirSync(cache)) {
    const other = path.join(cache, name);
    if (name !== MANIFEST && other !== dir && Date.now() - statSync(other).mtimeMs > 10 * 60_000) {
      rmSync(other, { recursive: true, force: true });
    }
  }
  return path.join(dir, "main.mjs");
}

function statOrNull(file) {
  try {
    return statSync(file);
  } catch {
    return null;
  }
}

function exists(file) {
  return statOrNull(file) !== null;
}
