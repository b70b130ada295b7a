/** Prisma's "unique constraint failed" (P2002), the same on SQLite and PostgreSQL. */
export function isUniqueViolation(error: unknown): boolean {
  return typeof error === "object" && error !== null && "code" in error && error.code === "P2002";
}

/**
 * A serializable transaction lost a race: Prisma's P2034, or the driver
 * adapter's own TransactionWriteConflict when it surfaces unwrapped (seen on
 * PostgreSQL when the conflict is detected at commit).
 */
export function isWriteConflict(error: unknown): boolean {
  if (typeof error !== "object" || error === null) return false;
  if ("code" in error && error.code === "P2034") return true;
  const cause = "cause" in error ? (error.cause as { kind?: unknown } | undefined) : undefined;
  return cause?.kind === "TransactionWriteConflict" || String(error).includes("TransactionWriteConflict");
}
