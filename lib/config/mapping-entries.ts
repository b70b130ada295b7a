import { describeValue } from "./describe-value";
import type { LoadedYaml } from "./load-yaml-document";
import type { ConfigIssue } from "./types";
import { formatYamlPath, keyToString, type PathSegment } from "./yaml-path";
import { isYamlMap } from "./yaml-map";

export function issueAt(
  yaml: LoadedYaml,
  path: readonly PathSegment[],
  message: string,
  at: "value" | "key" = "value",
): ConfigIssue {
  const position = at === "key" ? yaml.locateKey(path) : yaml.locate(path);
  return { file: yaml.file, ...position, path: formatYamlPath(path), message };
}

/** Value of `key` in a loaded mapping, matching keys as text (`1:` and `"1":` name the same thing). */
export function getKey(map: Map<unknown, unknown>, key: string): unknown {
  let found: unknown = undefined;
  for (const [k, v] of map) if (keyToString(k) === key) found = v;
  return found;
}

/**
 * The `name → definition` entries of a mapping such as `applications` or `operations`, in file
 * order. Null or absent is "none"; anything else that is not a mapping, and any name that is
 * not usable, becomes an issue.
 */
export function namedEntries(
  yaml: LoadedYaml,
  value: unknown,
  path: readonly PathSegment[],
  what: string,
  issues: ConfigIssue[],
): Array<[string, unknown]> {
  if (value === null || value === undefined) return [];
  if (!isYamlMap(value)) {
    issues.push(issueAt(yaml, path, `expected a mapping of ${what} names, got ${describeValue(value)}`));
    return [];
  }
  const entries: Array<[string, unknown]> = [];
  for (const [key, definition] of value) {
    const name = keyToString(key);
    if (name === null) {
      issues.push(issueAt(yaml, path, `${what} names must be text, got ${describeValue(key)}`));
    } else if (name.trim() === "") {
      issues.push(issueAt(yaml, [...path, name], `${what} name must not be empty or blank`, "key"));
    } else {
      entries.push([name, definition]);
    }
  }
  return entries;
}
