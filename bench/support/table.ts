import type { Row } from "./types";

const HEADERS = ["#", "measure", "runops", "baseline", "ratio / goal", "result"] as const;

function cells(row: Row): string[] {
  return [row.id, row.measure, row.runops, row.baseline, row.goal, row.verdict];
}

/** The results as an aligned plain-text table (for the terminal). */
export function textTable(rows: Row[]): string {
  const all = [HEADERS as readonly string[], ...rows.map(cells)];
  const widths = HEADERS.map((_, i) => Math.max(...all.map((r) => [...(r[i] ?? "")].length)));
  const line = (r: readonly string[]) =>
    r
      .map((c, i) => c + " ".repeat((widths[i] ?? 0) - [...c].length))
      .join("  ")
      .trimEnd();
  return [
    line(HEADERS),
    widths.map((w) => "-".repeat(w)).join("  "),
    ...rows.map((r) => line(cells(r))),
  ].join("\n");
}

/** The results as a Markdown table (for docs/benchmarks.md). */
export function markdownTable(rows: Row[]): string {
  const esc = (c: string) => c.replaceAll("|", "\\|");
  return [
    `| ${HEADERS.join(" | ")} |`,
    `| ${HEADERS.map(() => "---").join(" | ")} |`,
    ...rows.map((r) => `| ${cells(r).map(esc).join(" | ")} |`),
  ].join("\n");
}
