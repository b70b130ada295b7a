/** Prisma's error codes, the same on SQLite and PostgreSQL. */
const hasCode = (error: unknown, code: string) =>
  typeof error === "object" && error !== null && "code" in error && error.code === code;

/** "Unique constraint failed" (P2002): the row exists already. */
export const isUniqueViolation = (error: unknown): boolean => hasCode(error, "P2002");

/** "No record found" (P2025): an `update` whose where (e.g. a state guard) matched no row. */
export const isNoMatch = (error: unknown): boolean => hasCode(error, "P2025");

/**
 * A serializable transaction lost a race: Prisma's P2034, or the driver
 * adapter's own TransactionWriteConflict when it surfaces unwrapped (seen on
 * PostgreSQL when the conflict is detected at commit).
 */
export function isWriteConflict(error: unknown): boolean {
  if (hasCode(error, "P2034")) return true;
  if (typeof error !== "object" || error === null) return false;
  const cause = "cause" in error ? (error.cause as { kind?: unknown } | undefined) : undefined;
  return cause?.kind === "TransactionWriteConflict" || String(error).includes("TransactionWriteConflict");
}
