#!/usr/bin/env node
// The `runops` command. The CLI is TypeScript (cli/), run without a build
// step, so `npx runops` works straight from a clone and `npm link` installs it.
//
// Start-up speed: tsx's loader costs ~0.3 s per start (a loader thread, then
// each module through it). So the first start after cli/ changes bundles it
// with esbuild (tsx's own compiler) into node_modules/.cache/runops-cli/, and
// later starts import that plain JavaScript (~0.1 s). When bundling is not
// possible (no esbuild, read-only install), tsx's loader runs the sources.
import { createHash } from "node:crypto";
import { readdirSync, renameSync, rmSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const sources = path.join(root, "cli");

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
  const dir = path.join(cache, sourceKey());
  const entry = path.join(dir, "main.mjs");
  if (!exists(entry)) await bundle(cache, dir);
  return (await import(pathToFileURL(entry).href)).main;
}

/** Changes whenever a file under cli/ or package.json does. */
function sourceKey() {
  const hash = createHash("sha256");
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) =>
      a.name < b.name ? -1 : 1,
    )) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(file);
      else {
        const stat = statSync(file);
        hash.update(`${path.relative(root, file)}:${stat.size}:${stat.mtimeMs}\n`);
      }
    }
  };
  walk(sources);
  const pkg = statSync(path.join(root, "package.json"));
  hash.update(`package.json:${pkg.size}:${pkg.mtimeMs}\n`);
  return hash.digest("hex").slice(0, 16);
}

async function bundle(cache, dir) {
  // esbuild is tsx's dependency: resolve it from there, wherever npm put it.
  const fromTsx = createRequire(createRequire(import.meta.url).resolve("tsx/package.json"));
  const esbuild = await import(pathToFileURL(fromTsx.resolve("esbuild")).href);
  const temp = `${dir}.${process.pid}.tmp`;
  await esbuild.build({
    entryPoints: { main: path.join(sources, "main.ts") },
    bundle: true,
    // Commands stay in their own chunks, loaded when used: `--help` never loads zod.
    splitting: true,
    format: "esm",
    platform: "node",
    target: "node20",
    outdir: temp,
    outExtension: { ".js": ".mjs" },
    chunkNames: "chunks/[name]-[hash]",
    logLevel: "silent",
  });
  try {
    renameSync(temp, dir);
  } catch {
    // Another process built the same sources at the same moment: use its copy.
    rmSync(temp, { recursive: true, force: true });
  }
  // Bundles of older sources, unless recent (a process started before the change may still load chunks).
  for (const name of readdirSync(cache)) {
    const other = path.join(cache, name);
    if (other !== dir && Date.now() - statSync(other).mtimeMs > 10 * 60_000) {
      rmSync(other, { recursive: true, force: true });
    }
  }
}

function exists(file) {
  try {
    statSync(file);
    return true;
  } catch {
    return false;
  }
}
