import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Actor } from "../../../lib/access/actor";
import { hashPassword } from "../../../lib/auth/password";
import type { Db } from "../../../lib/db/client";
import { AppError } from "../../../lib/errors";
import { newId } from "../../../lib/ids";
import type { Fixture } from "../../support/harness";

/** The config the admin tests deploy: one app, an operation per role. */
export const ADMIN_CONFIG = `
applications:
  web:
    source:
      root: app
    operations:
      hello:
        role: viewer
        commands:
          start: echo hello
      wait:
        commands:
          start: sleep 30
      purge:
        role: admin
        commands:
          start: echo purged
`;

/** The refusal a promise ends with (an AppError), or a test failure if it resolves. */
export async function refusal(
  work: Promise<unknown>,
): Promise<{ status: number; message: string; details?: unknown }> {
  try {
    await work;
  } catch (error) {
    if (error instanceof AppError)
      return { status: error.status, message: error.message, details: error.details };
    throw error;
  }
  throw new Error("expected a refusal");
}

/** A directory holding .upsun/config.yaml (and app/), removed by `cleanup`. */
export function makeTarget(config = ADMIN_CONFIG) {
  const dir = mkdtempSync(path.join(tmpdir(), "runops-admin-target-"));
  mkdirSync(path.join(dir, ".upsun"));
  mkdirSync(path.join(dir, "app"));
  writeFileSync(path.join(dir, ".upsun", "config.yaml"), config);
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

const PASSWORD = "correct horse battery";
export { PASSWORD };

/** A user (password PASSWORD) as an Actor; `isAdmin` makes an instance admin. */
export async function makeUser(db: Db, name: string, options: { isAdmin?: boolean } = {}): Promise<Actor> {
  const u = await db.user.create({
    data: {
      id: newId(),
      email: `${name}-${newId()}@test.dev`,
      name,
      passwordHash: await hashPassword(PASSWORD),
      isAdmin: options.isAdmin ?? false,
    },
  });
  return { userId: u.id, email: u.email, name: u.name, source: "console", ip: "203.0.113.7" };
}

/**
 * Everyone the authorization matrix asks: the fixture's project admin,
 * contributor (production:viewer, development:contributor), viewer (viewer
 * everywhere) and outsider, plus a viewer with admin on every environment type
 * (not a project admin) and an instance admin who is not a member.
 */
export async function cast(db: Db, fx: Fixture) {
  const envAdmin = await makeUser(db, "env-admin");
  await db.membership.create({
    data: {
      id: newId(),
      projectId: fx.project.id,
      userId: envAdmin.userId,
      projectRole: "viewer",
      productionRole: "admin",
      stagingRole: "admin",
      developmentRole: "admin",
    },
  });
  const instanceAdmin = await makeUser(db, "instance-admin", { isAdmin: true });
  // Where the request came from, as the console passes it: the audit log must show it.
  const from = (a: Actor): Actor => ({ ...a, ip: "203.0.113.7" });
  return {
    projectAdmin: from(fx.admin),
    envAdmin,
    contributor: from(fx.contributor),
    viewer: from(fx.viewer),
    outsider: from(fx.outsider),
    instanceAdmin,
  };
}

/** access.denied events written for `actor`, newest last. */
export async function denials(db: Db, actor: Actor) {
  return db.auditEvent.findMany({
    where: { action: "access.denied", actorId: actor.userId },
    orderBy: { id: "asc" },
  });
}
