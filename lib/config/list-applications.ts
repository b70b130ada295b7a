import { describeValue } from "./describe-value";
import type { LoadedYaml } from "./load-yaml-document";
import { getKey, issueAt, namedEntries } from "./mapping-entries";
import type { ConfigIssue } from "./types";
import type { PathSegment } from "./yaml-path";
import { isYamlMap } from "./yaml-map";

/** One `applications.<name>` entry and the file it came from (positions are per file). */
export type AppSource = { name: string; value: unknown; path: PathSegment[]; yaml: LoadedYaml };

/** The applications a loaded file defines, in file order. Other top-level keys are Upsun's business. */
export function listApplications(yaml: LoadedYaml): { apps: AppSource[]; issues: ConfigIssue[] } {
  const issues: ConfigIssue[] = [];
  const root = yaml.value;
  if (root === null || root === undefined) return { apps: [], issues };
  if (!isYamlMap(root)) {
    issues.push(issueAt(yaml, [], `expected a mapping at the top level, got ${describeValue(root)}`));
    return { apps: [], issues };
  }
  const entries = namedEntries(yaml, getKey(root, "applications"), ["applications"], "application", issues);
  const apps = entries.map(([name, value]): AppSource => ({
    name,
    value,
    path: ["applications", name],
    yaml,
  }));
  return { apps, issues };
}
