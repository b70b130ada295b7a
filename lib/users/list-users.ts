import type { Actor } from "../access/actor";
import type { Db } from "../db/client";
import { requireInstanceAdmin } from "../access/instance-admin";

/** Every account, for instance admins: who exists, who administers, how many projects each is in. */
export async function listUsers(db: Db, actor: Actor) {
  await requireInstanceAdmin(db, actor, "users");
  const users = await db.user.findMany({
    orderBy: { email: "asc" },
    select: {
      id: true,
      email: true,
      name: true,
      isAdmin: true,
      createdAt: true,
      _count: { select: { memberships: true } },
    },
  });
  return users.map(({ _count, ...u }) => ({ ...u, projectCount: _count.memberships }));
}
