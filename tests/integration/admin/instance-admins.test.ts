import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../../lib/db/client";
import { listUsers } from "../../../lib/users/list-users";
import { setInstanceAdmin } from "../../../lib/users/set-instance-admin";
import { isInstanceAdmin } from "../../../lib/access/instance-admin";
import { BACKENDS, freshDatabase } from "../../support/harness";
import { makeUser, refusal } from "./support";

describe.each(BACKENDS)("instance admins on %s", (provider) => {
  let db: Db;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    const fresh = await freshDatabase(provider, "admin_instance");
    db = fresh.db;
    cleanup = fresh.cleanup;
  });
  afterAll(async () => cleanup?.());

  it("are granted and revoked by instance admins only, never down to none, with immediate effect", async () => {
    const root = await makeUser(db, "root", { isAdmin: true });
    const pat = await makeUser(db, "pat");
    expect(await refusal(setInstanceAdmin(db, pat, { userId: pat.userId, isAdmin: "true" }))).toMatchObject({
      status: 403,
      message: "Not allowed: requires instance admin",
    });
    expect(await isInstanceAdmin(db, pat)).toBe(false);
    expect((await refusal(listUsers(db, pat))).status).toBe(403);

    await setInstanceAdmin(db, root, { userId: pat.userId, isAdmin: "true" });
    expect(await isInstanceAdmin(db, pat)).toBe(true);
    expect((await listUsers(db, pat)).map((u) => [u.email, u.isAdmin])).toEqual(
      [
        [pat.email, true],
        [root.email, true],
      ].sort(),
    );

    // Pat takes root's rights away, then cannot drop the last ones.
    await setInstanceAdmin(db, pat, { userId: root.userId, isAdmin: "false" });
    expect(await isInstanceAdmin(db, root)).toBe(false);
    expect(await refusal(setInstanceAdmin(db, pat, { userId: pat.userId, isAdmin: "false" }))).toMatchObject({
      status: 409,
      message: "This is the last instance admin: make someone else one first",
    });
    const events = await db.auditEvent.findMany({
      where: { action: { startsWith: "user.instance_admin" } },
      orderBy: { id: "asc" },
    });
    expect(events.map((e) => [e.action, e.actorLabel, e.target])).toEqual([
      ["user.instance_admin_granted", root.email, pat.email],
      ["user.instance_admin_revoked", pat.email, root.email],
    ]);
  });

  it("keeps one when two revoke each other at the same moment", async () => {
    for (let round = 0; round < 3; round++) {
      await db.user.updateMany({ data: { isAdmin: false } });
      const [a, b] = [await makeUser(db, "a", { isAdmin: true }), await makeUser(db, "b", { isAdmin: true })];
      const results = await Promise.allSettled([
        setInstanceAdmin(db, a, { userId: b.userId, isAdmin: "false" }),
        setInstanceAdmin(db, b, { userId: a.userId, isAdmin: "false" }),
      ]);
      expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
      expect(await db.user.count({ where: { isAdmin: true } })).toBe(1);
    }
  });
});
