/**
 * The code a benchmark run measures, as a private copy built on its own.
 *
 * The repository is shared by engineers who edit, build and test at the same time: building and
 * serving straight from it would let a concurrent `next build` replace the `.next` a benchmark
 * server is running from (and the other way round). So the run copies the sources it measures to
 * $TMPDIR/runops-bench/<label>/ (the working tree as it is, tracked and untracked files that
 * git does not ignore; or a git revision via `git archive`), hard-links node_modules, and lets
 * `scripts/start.ts` build that copy when its sources are newer than its last build. The copy
 * stays between runs, so an unchanged tree is not built twice.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  rmSync,
  rmdirSync,
  statSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { onCleanup } from "./cleanup";

/** The repository this bench/ folder belongs to. */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");

export type SourceSpec = { kind: "worktree" } | { kind: "rev"; rev: string };

export interface PreparedSource {
  /** Where the copy lives: run `scripts/start.ts` here. */
  dir: string;
  /** "working tree" or "HEAD (abc123)". */
  description: string;
  gitCommit: string;
  /** The working tree had uncommitted changes (only meaningful for the working tree). */
  dirty: boolean;
}

/** Directories of a copy that survive a refresh: dependencies, the build, the generated clients. */
const KEEP = new Set(["node_modules", ".next", path.join("lib", "db", "generated")]);

function git(args: string[]): string {
  return execFileSync("git", args, { cwd: REPO_ROOT, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
}

/** `--source=worktree` (default), `--source=HEAD`, `--source=<commit>`. */
export function parseSourceSpec(value: string | undefined): SourceSpec {
  if (!value || value === "worktree") return { kind: "worktree" };
  return { kind: "rev", rev: value };
}

export function prepareSource(spec: SourceSpec): PreparedSource {
  const head = git(["rev-parse", "HEAD"]).trim();
  const dirty = git(["status", "--porcelain"]).trim() !== "";
  let label: string;
  let description: string;
  let commit: string;
  if (spec.kind === "worktree") {
    label = "worktree";
    commit = head;
    description = `working tree (HEAD ${head.slice(0, 10)}${dirty ? " + uncommitted changes" : ""})`;
  } else {
    try {
      commit = git(["rev-parse", "--verify", `${spec.rev}^{commit}`]).trim();
    } catch {
      throw new Error(`--source=${spec.rev}: not a git revision of ${REPO_ROOT}`);
    }
    label = `rev-${commit.slice(0, 12)}`;
    description = `${spec.rev} (${commit.slice(0, 10)})`;
  }
  const root = path.join(tmpdir(), "runops-bench");
  const dir = path.join(root, label);
  mkdirSync(dir, { recursive: true });
  lock(`${dir}.lock`);
  pruneOtherRevisions(root, label);

  clearSources(dir, "");
  if (spec.kind === "worktree") copyWorkingTree(dir);
  else extractRevision(commit, dir);
  linkNodeModules(dir);
  const generated = spawnSync(process.execPath, ["scripts/db/generate.mjs"], { cwd: dir, encoding: "utf8" });
  if (generated.status !== 0) {
    throw new Error(
      `Generating the Prisma clients in ${dir} failed:\n${generated.stdout}${generated.stderr}`,
    );
  }
  return { dir, description, gitCommit: commit, dirty: spec.kind === "worktree" && dirty };
}

/** One benchmark run per copy at a time (a second one would rebuild under the first one's server). */
function lock(file: string) {
  try {
    mkdirSync(file);
  } catch {
    const pid = Number(
      existsSync(path.join(file, "pid")) ? readFileSync(path.join(file, "pid"), "utf8") : NaN,
    );
    if (Number.isInteger(pid) && pid !== process.pid && alive(pid)) {
      throw new Error(`Another benchmark run (pid ${pid}) is using ${file.replace(/\.lock$/, "")}`);
    }
  }
  writeFileSync(path.join(file, "pid"), String(process.pid));
  onCleanup("source lock", () => rmSync(file, { recursive: true, force: true }));
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Copies of other revisions (a build and linked node_modules each) are deleted once unused for a
 * day: not locked by a running benchmark, not refreshed since.
 */
function pruneOtherRevisions(root: string, keep: string) {
  for (const name of readdirSync(root)) {
    if (!/^rev-[0-9a-f]+$/.test(name) || name === keep) continue;
    const dir = path.join(root, name);
    if (existsSync(`${dir}.lock`)) continue;
    if (Date.now() - statSync(dir).mtimeMs < 24 * 3600_000) continue;
    rmSync(dir, { recursive: true, force: true });
    rmSync(`${dir}.node-modules-stamp`, { force: true });
  }
}

/** Deletes the copy's source files, keeping KEEP. */
function clearSources(dir: string, rel: string) {
  for (const entry of readdirSync(path.join(dir, rel), { withFileTypes: true })) {
    const child = path.join(rel, entry.name);
    if (KEEP.has(child)) continue;
    const full = path.join(dir, child);
    if (entry.isDirectory()) {
      const keepsSomething = [...KEEP].some((k) => k.startsWith(child + path.sep));
      if (keepsSomething) clearSources(dir, child);
      else rmSync(full, { recursive: true, force: true });
    } else {
      rmSync(full, { force: true });
    }
  }
  if (rel !== "" && readdirSync(path.join(dir, rel)).length === 0) rmdirSync(path.join(dir, rel));
}

/** Tracked and untracked-but-not-ignored files, as they are on disk, with their modification times. */
function copyWorkingTree(dir: string) {
  const files = git(["ls-files", "-z", "--cached", "--others", "--exclude-standard"])
    .split("\0")
    .filter((f) => f !== "");
  for (const rel of new Set(files)) {
    const from = path.join(REPO_ROOT, rel);
    let st;
    try {
      st = statSync(from);
    } catch {
      continue; // deleted in the working tree
    }
    if (!st.isFile()) continue;
    const to = path.join(dir, rel);
    mkdirSync(path.dirname(to), { recursive: true });
    copyFileSync(from, to);
    utimesSync(to, st.atime, st.mtime);
  }
}

function extractRevision(commit: string, dir: string) {
  const archive = spawnSync("git", ["archive", "--format=tar", commit], {
    cwd: REPO_ROOT,
    maxBuffer: 1024 * 1024 * 1024,
  });
  if (archive.status !== 0) throw new Error(`git archive ${commit} failed: ${archive.stderr.toString()}`);
  const tar = spawnSync("tar", ["-x", "-C", dir], { input: archive.stdout });
  if (tar.status !== 0) throw new Error(`tar -x failed: ${tar.stderr.toString()}`);
}

/**
 * node_modules as hard links to the repository's (seconds, no extra disk; Turbopack refuses a
 * symlinked node_modules). Re-linked when the repository's install changed.
 */
function linkNodeModules(dir: string) {
  const lockfile = path.join(REPO_ROOT, "node_modules", ".package-lock.json");
  if (!existsSync(lockfile)) throw new Error(`No node_modules in ${REPO_ROOT}: run \`npm ci\` first`);
  const stamp = createHash("sha256").update(readFileSync(lockfile)).digest("hex");
  const stampFile = path.join(dir, "..", `${path.basename(dir)}.node-modules-stamp`);
  const target = path.join(dir, "node_modules");
  if (existsSync(target) && existsSync(stampFile) && readFileSync(stampFile, "utf8") === stamp) return;
  rmSync(target, { recursive: true, force: true });
  const linked = spawnSync("cp", ["-al", path.join(REPO_ROOT, "node_modules"), target], { encoding: "utf8" });
  if (linked.status !== 0) {
    // Another file system: a real copy (slower, once).
    rmSync(target, { recursive: true, force: true });
    const copied = spawnSync("cp", ["-a", path.join(REPO_ROOT, "node_modules"), target], {
      encoding: "utf8",
    });
    if (copied.status !== 0) throw new Error(`Copying node_modules failed: ${copied.stderr}`);
  }
  writeFileSync(stampFile, stamp);
}
