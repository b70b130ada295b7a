import { type Access, accessFor } from "../access/access";
import { memberRolesOfRow, roleColumnsSql } from "../access/member-roles";
import type { Actor } from "../access/actor";
import type { Db } from "../db/client";
import { Prisma } from "../db/generated/sqlite/client.ts";
import { notFound } from "../errors";

/**
 * One statement: the project by slug and the actor's membership, as an
 * `Access` (nothing decided yet). Null when there is no such project.
 */
export async function readProjectAccess(
  db: Db,
  actor: Actor,
  slug: string,
): Promise<{ project: { id: string; slug: string; name: string }; access: Access } | null> {
  const rows = await db.$queryRaw<Array<Record<string, unknown>>>`
    SELECT p.id, p.slug, p.name, ${Prisma.raw(roleColumnsSql("m"))}
    FROM "Project" p
    LEFT JOIN "Membership" m ON m."projectId" = p.id AND m."userId" = ${actor.userId}
    WHERE p.slug = ${slug}`;
  const r = rows[0];
  if (!r) return null;
  const project = { id: String(r.id), slug: String(r.slug), name: String(r.name) };
  return { project, access: accessFor(db, actor, project.id, memberRolesOfRow(r)) };
}

/**
 * For pages: the project if the actor is a member (404 otherwise, as for any
 * project outside theirs) and whether they administer it. Pages only show
 * what mutations would allow; the server actions check again (and audit).
 */
export async function getProjectAccess(db: Db, actor: Actor, slug: string) {
  const loaded = await readProjectAccess(db, actor, slug);
  if (!loaded || !loaded.access.can({ kind: "view-project" }).allowed) throw notFound("project");
  return { project: loaded.project, canAdmin: loaded.access.can({ kind: "admin-project" }).allowed };
}
