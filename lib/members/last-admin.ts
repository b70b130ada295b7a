import { AppError } from "../errors";
import type { Tx } from "../projects/lock-project";

/**
 * Inside a transaction that has locked the project (lockProject): refuses when
 * the member about to stop being admin, demoted or removed, is the only admin
 * left. Every project keeps at least one admin, or nobody could manage it.
 */
export async function assertAnotherAdmin(
  tx: Tx,
  projectId: string,
  membershipId: string,
  what: "remove" | "demote",
): Promise<void> {
  const others = await tx.membership.count({
    where: { projectId, projectRole: "admin", id: { not: membershipId } },
  });
  if (others > 0) return;
  throw new AppError(
    409,
    "last_admin",
    what === "remove"
      ? "This member is the project's last admin: make another member admin before removing them"
      : "This member is the project's last admin: make another member admin before changing their role",
  );
}
