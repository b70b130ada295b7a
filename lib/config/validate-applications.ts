import type { z } from "zod";

import type { AppSource } from "./list-applications";
import type { LoadedYaml } from "./load-yaml-document";
import { getKey, namedEntries } from "./mapping-entries";
import { appFieldsSchema, operationSchema, workerFieldsSchema } from "./schemas";
import { sortIssues } from "./order-issues";
import type { AppDef, ConfigIssue, OperationDef, ParsedConfig } from "./types";
import { formatYamlPath, type PathSegment } from "./yaml-path";
import { isYamlMap } from "./yaml-map";

export type Validation = { ok: true; config: ParsedConfig } | { ok: false; issues: ConfigIssue[] };

function zodIssues(yaml: LoadedYaml, base: readonly PathSegment[], error: z.ZodError): ConfigIssue[] {
  return error.issues.map((issue) => {
    const rest = issue.path.filter((s): s is PathSegment => typeof s === "string" || typeof s === "number");
    const path = [...base, ...rest];
    return { file: yaml.file, ...yaml.locate(path), path: formatYamlPath(path), message: issue.message };
  });
}

function collectOperations(
  source: AppSource,
  owner: Map<unknown, unknown>,
  ownerPath: readonly PathSegment[],
  worker: string | null,
  issues: ConfigIssue[],
): OperationDef[] {
  const { yaml } = source;
  const path = [...ownerPath, "operations"];
  const out: OperationDef[] = [];
  for (const [name, value] of namedEntries(yaml, getKey(owner, "operations"), path, "operation", issues)) {
    const parsed = operationSchema.safeParse(value);
    if (!parsed.success) {
      issues.push(...zodIssues(yaml, [...path, name], parsed.error));
      continue;
    }
    out.push({ app: source.name, worker, name, ...parsed.data });
  }
  return out;
}

/**
 * Turns the `applications` entries of one or more files into runops' model. Reports every issue
 * found, each at its own file and position; any issue fails the whole config.
 */
export function validateApplications(sources: readonly AppSource[]): Validation {
  const issues: ConfigIssue[] = [];
  const apps: AppDef[] = [];
  const operations: OperationDef[] = [];

  for (const source of sources) {
    const { yaml, path } = source;
    const fields = appFieldsSchema.safeParse(source.value);
    if (!fields.success) issues.push(...zodIssues(yaml, path, fields.error));
    // Not a mapping: already reported above, and there is nothing further to read.
    const appMap = isYamlMap(source.value)
      ? source.value
      : source.value === null
        ? new Map<unknown, unknown>()
        : null;
    if (appMap === null) continue;

    const env = fields.success ? fields.data.variables.env : {};
    const appOperations = collectOperations(source, appMap, path, null, issues);

    const workers: string[] = [];
    // Entries, not assignments: a worker named "__proto__" must stay a plain key.
    const workerEnv: Array<[string, Record<string, string>]> = [];
    const workerOperations: OperationDef[] = [];
    const workersPath = [...path, "workers"];
    for (const [worker, value] of namedEntries(
      yaml,
      getKey(appMap, "workers"),
      workersPath,
      "worker",
      issues,
    )) {
      const workerPath = [...workersPath, worker];
      const workerFields = workerFieldsSchema.safeParse(value);
      if (!workerFields.success) issues.push(...zodIssues(yaml, workerPath, workerFields.error));
      const workerMap = isYamlMap(value) ? value : value === null ? new Map<unknown, unknown>() : null;
      if (workerMap === null) continue;
      workers.push(worker);
      // A worker runs the app's code with the app's variables, overridden by its own.
      workerEnv.push([worker, { ...env, ...(workerFields.success ? workerFields.data.variables.env : {}) }]);
      workerOperations.push(...collectOperations(source, workerMap, workerPath, worker, issues));
    }

    const sourceRoot = fields.success ? (fields.data.source.root ?? "") : "";
    apps.push({ name: source.name, sourceRoot, env, workers, workerEnv: Object.fromEntries(workerEnv) });
    operations.push(...appOperations, ...workerOperations);
  }

  if (issues.length > 0) {
    const files = [...new Set(sources.map((s) => s.yaml.file))];
    return { ok: false, issues: sortIssues(issues, files) };
  }
  return { ok: true, config: { apps, operations } };
}
