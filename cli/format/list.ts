import { UsageError } from "../errors.ts";
import { renderDelimited, renderPlain } from "./delimited.ts";
import { renderTable } from "./table.ts";

export const FORMATS = ["table", "csv", "tsv", "plain", "json"] as const;
export type Format = (typeof FORMATS)[number];

export type Cell = string | number | boolean | null;

export interface Column<R> {
  /** The name given to --columns, and the key in JSON output. */
  key: string;
  header: string;
  /** The value as JSON shows it. */
  value: (row: R) => Cell;
  /** The value as text formats show it (default: the value, null as empty). */
  text?: (row: R) => string;
}

export interface ListSpec<R> {
  columns: readonly Column<R>[];
  /** Keys shown when --columns is not given. */
  defaults: readonly string[];
}

export function parseFormat(value: string | undefined): Format {
  const format = (value ?? "table").toLowerCase();
  const known: readonly string[] = FORMATS;
  if (!known.includes(format)) {
    throw new UsageError(`invalid format "${value}": use one of ${FORMATS.join(", ")}`);
  }
  return format as Format;
}

/**
 * The columns to show for `--columns` values: comma-separated (the option may
 * also be repeated), case-insensitive, `+` standing for the default columns
 * (`-c +,reason`), in the order given, each once.
 */
export function selectColumns<R>(spec: ListSpec<R>, requested: readonly string[] | undefined): Column<R>[] {
  const byKey = new Map(spec.columns.map((c) => [c.key, c]));
  const names = (requested ?? [])
    .flatMap((value) => value.split(","))
    .map((name) => name.trim().toLowerCase())
    .filter(Boolean);
  const keys =
    names.length === 0 ? [...spec.defaults] : names.flatMap((n) => (n === "+" ? spec.defaults : [n]));
  const chosen: Column<R>[] = [];
  for (const key of keys) {
    const column = byKey.get(key);
    if (!column) {
      throw new UsageError(
        `unknown column "${key}"`,
        `available columns: ${spec.columns.map((c) => (spec.defaults.includes(c.key) ? `${c.key}*` : c.key)).join(", ")} (* = default)`,
      );
    }
    if (!chosen.includes(column)) chosen.push(column);
  }
  return chosen;
}

export interface RenderOptions<R> {
  format: Format;
  columns?: readonly string[];
  header: boolean;
  /**
   * What JSON output holds when --columns is not given: the API's own objects,
   * whole, so scripts get every field.
   */
  json?: (row: R) => unknown;
}

/** Rows as text in the chosen format; always ends with a newline (except an empty CSV without header). */
export function renderList<R>(rows: readonly R[], spec: ListSpec<R>, options: RenderOptions<R>): string {
  const columns = selectColumns(spec, options.columns);
  if (options.format === "json") {
    const explicit = (options.columns ?? []).some((c) => c.trim() !== "");
    const objects =
      !explicit && options.json
        ? rows.map(options.json)
        : rows.map((row) => Object.fromEntries(columns.map((c) => [c.key, c.value(row)])));
    return `${JSON.stringify(objects, null, 2)}\n`;
  }
  const header = options.header ? columns.map((c) => c.header) : null;
  const cells = rows.map((row) => columns.map((c) => (c.text ? c.text(row) : cellText(c.value(row)))));
  switch (options.format) {
    case "csv":
      return renderDelimited(header, cells, ",");
    case "tsv":
      return renderDelimited(header, cells, "\t");
    case "plain":
      return renderPlain(header, cells);
    case "table":
      return renderTable(header, cells);
  }
}

function cellText(value: Cell): string {
  if (value === null) return "";
  return String(value);
}

/** True for the formats meant for people, around which commands print a title and hints. */
export const isHumanFormat = (format: Format) => format === "table";
