import type { ConfigIssue, ConfigWarning } from "./types";

/** Enough to fix a config in one pass; more would only bury the first ones. */
export const MAX_REPORTED_ISSUES = 100;

/**
 * Reading order: files in the given order (unknown files last), then line and column. Issues
 * without a position (line 0: a whole-file problem, "N more errors") close their file's group.
 */
export function sortIssues(issues: readonly ConfigIssue[], fileOrder: readonly string[]): ConfigIssue[] {
  return sortByPosition(issues, fileOrder, (i) => i);
}

/** Warnings in the same order, by where each key is first written. */
export function sortWarnings(
  warnings: readonly ConfigWarning[],
  fileOrder: readonly string[],
): ConfigWarning[] {
  return sortByPosition(warnings, fileOrder, (w) => ({ file: w.file, ...w.first }));
}

function sortByPosition<T>(
  items: readonly T[],
  fileOrder: readonly string[],
  at: (item: T) => { file: string; line: number; column: number },
): T[] {
  const rank = new Map(fileOrder.map((file, i) => [file, i]));
  const fileRank = (file: string) => rank.get(file) ?? fileOrder.length;
  const line = (n: number) => (n > 0 ? n : Number.MAX_SAFE_INTEGER);
  return [...items].sort((x, y) => {
    const a = at(x);
    const b = at(y);
    return fileRank(a.file) - fileRank(b.file) || line(a.line) - line(b.line) || a.column - b.column;
  });
}

export function limitIssues(issues: ConfigIssue[]): ConfigIssue[] {
  if (issues.length <= MAX_REPORTED_ISSUES) return issues;
  const shown = issues.slice(0, MAX_REPORTED_ISSUES);
  const more = issues.length - shown.length;
  const file = issues[MAX_REPORTED_ISSUES]?.file ?? "";
  return [...shown, { file, line: 0, column: 0, path: "", message: `${more} more issues not shown` }];
}

/** At most as many warnings as issues; the rest are counted in a last one without a position. */
export function limitWarnings(warnings: ConfigWarning[]): ConfigWarning[] {
  if (warnings.length <= MAX_REPORTED_ISSUES) return warnings;
  const shown = warnings.slice(0, MAX_REPORTED_ISSUES);
  const more = warnings.length - shown.length;
  const file = warnings[MAX_REPORTED_ISSUES]?.file ?? "";
  const none = { line: 0, column: 0 };
  return [
    ...shown,
    { file, path: "", first: none, kept: none, message: `${more} more duplicate keys not shown` },
  ];
}
