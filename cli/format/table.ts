import { displayWidth } from "./style.ts";

/**
 * A bordered table like Upsun's CLI prints (Symfony Console's default style):
 *
 *     +---------+------+
 *     | Service | Name |
 *     +---------+------+
 *     | app     | ping |
 *     +---------+------+
 *
 * Cells may hold several lines (multi-line commands); then rows are separated
 * by a border too, or a reader could not tell where one row ends.
 */
export function renderTable(header: readonly string[] | null, rows: readonly (readonly string[])[]): string {
  const columnCount = Math.max(header?.length ?? 0, ...rows.map((r) => r.length));
  if (columnCount === 0) return "";
  const split = (row: readonly string[]) =>
    Array.from({ length: columnCount }, (_, i) => (row[i] ?? "").replace(/\r\n?/g, "\n").split("\n"));
  const headerCells = header ? split(header) : null;
  const bodyCells = rows.map(split);

  const widths = Array.from({ length: columnCount }, () => 0);
  for (const row of headerCells ? [headerCells, ...bodyCells] : bodyCells) {
    row.forEach((lines, i) => {
      for (const line of lines) widths[i] = Math.max(widths[i] ?? 0, displayWidth(line));
    });
  }

  const border = `+${widths.map((w) => "-".repeat(w + 2)).join("+")}+`;
  const renderRow = (cells: string[][]) => {
    const height = Math.max(...cells.map((lines) => lines.length));
    const out: string[] = [];
    for (let l = 0; l < height; l++) {
      const parts = cells.map((lines, i) => {
        const text = lines[l] ?? "";
        return ` ${text}${" ".repeat((widths[i] ?? 0) - displayWidth(text))} `;
      });
      out.push(`|${parts.join("|")}|`);
    }
    return out;
  };

  const multiLine = bodyCells.some((cells) => cells.some((lines) => lines.length > 1));
  const lines: string[] = [border];
  if (headerCells) lines.push(...renderRow(headerCells), border);
  bodyCells.forEach((cells, index) => {
    if (multiLine && index > 0) lines.push(border);
    lines.push(...renderRow(cells));
  });
  if (bodyCells.length > 0 || !headerCells) lines.push(border);
  return `${lines.join("\n")}\n`;
}
