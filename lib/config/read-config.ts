import path from "node:path";

import { limitIssues, limitWarnings, sortIssues, sortWarnings } from "./order-issues";
import { type TargetFiles, localFiles } from "./target-files";
import { type AppSource, listApplications } from "./list-applications";
import { loadYamlDocument, MAX_CONFIG_BYTES, tooLargeIssue } from "./load-yaml-document";
import type { ConfigIssue, ConfigResult, ConfigWarning } from "./types";
import { validateApplications } from "./validate-applications";
import { formatYamlPath } from "./yaml-path";

const CONFIG_DIR = ".upsun";
const YAML_FILE = /\.ya?ml$/;

function dirIssue(message: string): ConfigIssue {
  return { file: `${CONFIG_DIR}/`, line: 0, column: 0, path: "", message };
}

function errorCode(error: unknown): string | undefined {
  if (typeof error === "object" && error !== null && "code" in error && typeof error.code === "string") {
    return error.code;
  }
  return undefined;
}

/** The YAML files of `.upsun/`, sorted by name as Upsun merges them; a string is an issue. */
async function listConfigFiles(files: TargetFiles, dir: string): Promise<string[] | string> {
  let names: string[];
  try {
    names = await files.readdir(dir);
  } catch (error) {
    const code = errorCode(error);
    if (code === "ENOENT" || code === "ENOTDIR") return `no ${CONFIG_DIR}/ directory in ${path.dirname(dir)}`;
    return `cannot read ${CONFIG_DIR}/: ${code ?? String(error)}`;
  }
  const found: string[] = [];
  for (const name of names.filter((n) => YAML_FILE.test(n))) {
    if (await files.isFile(path.join(dir, name))) found.push(name);
  }
  // Plain code-unit order: the same on every host, whatever its locale.
  return found.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Reads a file unless it is over the limit. */
async function readLimited(
  files: TargetFiles,
  file: string,
  shownAs: string,
): Promise<{ text: string } | { issue: ConfigIssue }> {
  try {
    const read = await files.readLimited(file, MAX_CONFIG_BYTES);
    if ("tooLarge" in read) return { issue: tooLargeIssue(shownAs, read.tooLarge) };
    return read;
  } catch (error) {
    return {
      issue: {
        file: shownAs,
        line: 0,
        column: 0,
        path: "",
        message: `cannot read file: ${errorCode(error) ?? String(error)}`,
      },
    };
  }
}

/**
 * Reads `<targetDir>/.upsun/*.{yaml,yml}` the way Upsun does: every file, in name order, merged
 * key by key at the top level. An application defined in two files is an error naming both.
 * Never throws for a bad target: every problem comes back as an issue. A key written twice in
 * a mapping loads last-wins, as on Upsun, and comes back as a warning (with either outcome).
 * `from` is where the target is: this host, or an SSH host over SFTP.
 */
export async function readConfig(targetDir: string, from: TargetFiles = localFiles): Promise<ConfigResult> {
  const dir = path.join(targetDir, CONFIG_DIR);
  const files = await listConfigFiles(from, dir);
  if (typeof files === "string") return { ok: false, issues: [dirIssue(files)], warnings: [] };
  if (files.length === 0)
    return { ok: false, issues: [dirIssue(`no *.yaml or *.yml file in ${CONFIG_DIR}/`)], warnings: [] };

  const issues: ConfigIssue[] = [];
  const warnings: ConfigWarning[] = [];
  const apps: AppSource[] = [];
  const definedIn = new Map<string, AppSource>();

  for (const name of files) {
    const shownAs = `${CONFIG_DIR}/${name}`;
    const read = await readLimited(from, path.join(dir, name), shownAs);
    if ("issue" in read) {
      issues.push(read.issue);
      continue;
    }
    const loaded = loadYamlDocument(read.text, shownAs);
    if (!loaded.ok) {
      issues.push(...loaded.issues);
      continue;
    }
    warnings.push(...loaded.yaml.warnings);
    const listed = listApplications(loaded.yaml);
    issues.push(...listed.issues);
    for (const app of listed.apps) {
      const first = definedIn.get(app.name);
      if (first) {
        const at = first.yaml.locateKey(first.path);
        const position = app.yaml.locateKey(app.path);
        issues.push({
          file: shownAs,
          ...position,
          path: formatYamlPath(app.path),
          message: `application ${JSON.stringify(app.name)} is already defined in ${first.yaml.file}:${at.line}:${at.column}; define each application in one file`,
        });
        continue;
      }
      definedIn.set(app.name, app);
      apps.push(app);
    }
  }

  const order = files.map((name) => `${CONFIG_DIR}/${name}`);
  const shownWarnings = limitWarnings(sortWarnings(warnings, order));
  const result = validateApplications(apps);
  if (issues.length === 0 && result.ok) return { ...result, warnings: shownWarnings };
  const all = [...issues, ...(result.ok ? [] : result.issues)];
  return { ok: false, issues: limitIssues(sortIssues(all, order)), warnings: shownWarnings };
}
