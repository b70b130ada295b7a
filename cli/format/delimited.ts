/**
 * Machine-readable text formats, as Upsun's CLI writes them: lines end with
 * LF (not RFC 4180's CRLF, which POSIX shells' IFS does not split on).
 */

/** CSV or TSV: a cell is quoted when it holds the delimiter, a quote or a line break. */
export function renderDelimited(
  header: readonly string[] | null,
  rows: readonly (readonly string[])[],
  delimiter: "," | "\t",
): string {
  const quote = (cell: string) =>
    cell.includes(delimiter) || /["\r\n]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell;
  const all = header ? [header, ...rows] : rows;
  return all.map((row) => `${row.map(quote).join(delimiter)}\n`).join("");
}

/**
 * Plain: tab-separated and never quoted, for `cut` and `while read`; line
 * breaks and tabs inside a cell become one space.
 */
export function renderPlain(header: readonly string[] | null, rows: readonly (readonly string[])[]): string {
  const clean = (cell: string) => cell.replace(/[\r\n\t]+/g, " ");
  const all = header ? [header, ...rows] : rows;
  return all.map((row) => `${row.map(clean).join("\t")}\n`).join("");
}
