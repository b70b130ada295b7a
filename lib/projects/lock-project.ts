import type { Prisma } from "../db/generated/sqlite/client.ts";

/** An interactive transaction's client (what `db.$transaction(async (tx) => …)` passes). */
export type Tx = Prisma.TransactionClient;

/**
 * Serializes changes to a project's memberships: a no-op UPDATE of the project
 * row takes its row lock on PostgreSQL (a concurrent transaction waits, then
 * reads what the first committed) and SQLite's write lock. Without it two
 * admins demoting each other at the same moment could each see the other as
 * the remaining admin and leave the project with none.
 */
export async function lockProject(tx: Tx, projectId: string): Promise<void> {
  await tx.$executeRaw`UPDATE "Project" SET "slug" = "slug" WHERE "id" = ${projectId}`;
}
