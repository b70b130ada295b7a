import type { ConfigIssue } from "./types";

/** Enough to fix a config in one pass; more would only bury the first ones. */
export const MAX_REPORTED_ISSUES = 100;

/**
 * Reading order: files in the given order (unknown files last), then line and column. Issues
 * without a position (line 0: a whole-file problem, "N more errors") close their file's group.
 */
export function sortIssues(issues: readonly ConfigIssue[], fileOrder: readonly string[]): ConfigIssue[] {
  const rank = new Map(fileOrder.map((file, i) => [file, i]));
  const fileRank = (file: string) => rank.get(file) ?? fileOrder.length;
  const line = (i: ConfigIssue) => (i.line > 0 ? i.line : Number.MAX_SAFE_INTEGER);
  return [...issues].sort(
    (a, b) => fileRank(a.file) - fileRank(b.file) || line(a) - line(b) || a.column - b.column,
  );
}

export function limitIssues(issues: ConfigIssue[]): ConfigIssue[] {
  if (issues.length <= MAX_REPORTED_ISSUES) return issues;
  const shown = issues.slice(0, MAX_REPORTED_ISSUES);
  const more = issues.length - shown.length;
  const file = issues[MAX_REPORTED_ISSUES]?.file ?? "";
  return [...shown, { file, line: 0, column: 0, path: "", message: `${more} more issues not shown` }];
}
