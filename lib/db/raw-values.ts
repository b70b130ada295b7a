/**
 * Values of rows read with `$queryRaw` (the joined loads of the hot paths),
 * which come back as each driver gives them: on SQLite integers are bigint,
 * booleans 0/1 and dates the text Prisma wrote; on PostgreSQL native types.
 */

/** A DateTime column; text without an offset is UTC (SQLite's CURRENT_TIMESTAMP form). */
export function rawDate(value: unknown): Date | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value;
  if (typeof value === "number" || typeof value === "bigint") return new Date(Number(value));
  const text = String(value);
  return new Date(/(?:[zZ]|[+-]\d\d:?\d\d)$/.test(text) ? text : `${text.replace(" ", "T")}Z`);
}

export function rawBoolean(value: unknown): boolean {
  return value === true || value === 1 || value === 1n || value === "1" || value === "t";
}

export function rawString(value: unknown): string | null {
  return value === null || value === undefined ? null : String(value);
}
