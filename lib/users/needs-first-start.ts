import type { Db } from "../db/client";

/**
 * Users are never deleted by runops, so once a database has one it keeps
 * having one: remember that per client and stop asking (this runs on every
 * visit to /signin).
 */
const known = new WeakSet<Db>();

/** True while the database has no user at all: the console then asks for the first admin. */
export async function needsFirstStart(db: Db): Promise<boolean> {
  if (known.has(db)) return false;
  const any = await db.user.findFirst({ select: { id: true } });
  if (any) known.add(db);
  return !any;
}
