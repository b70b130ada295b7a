import type { Db } from "../db/client";
import { accessFor, loadAccess, memberRolesOf } from "./access";
import type { Actor } from "./actor";
import type { AccessAction, AccessDecision, MemberRoles } from "./decide";

export async function loadMemberRoles(
  db: Db,
  userId: string,
  projectId: string,
): Promise<MemberRoles | null> {
  const m = await db.membership.findUnique({
    where: { projectId_userId: { projectId, userId } },
    select: { projectRole: true, productionRole: true, stagingRole: true, developmentRole: true },
  });
  return memberRolesOf(m);
}

/**
 * The one access check. Every page, server action, route handler and API
 * token path calls this (or `requireAccess`, or an `Access` from
 * lib/access/access.ts) with the membership read fresh from the database, so
 * a role change applies on the very next request.
 */
export async function authorize(
  db: Db,
  actor: Actor,
  projectId: string,
  action: AccessAction,
): Promise<AccessDecision> {
  return (await loadAccess(db, actor, projectId)).can(action);
}

/**
 * `authorize`, throwing an AppError (404 or 403) when the answer is no. A 403
 * (a member trying something above their role) is written to the project's
 * audit log: that is what a crafted request looks like.
 */
export async function requireAccess(
  db: Db,
  actor: Actor,
  projectId: string,
  action: AccessAction,
  what = "resource",
  /** The actor's membership when the caller already read it in this request (saves a query). */
  member?: MemberRoles | null,
): Promise<void> {
  const access =
    member === undefined ? await loadAccess(db, actor, projectId) : accessFor(db, actor, projectId, member);
  await access.require(action, what);
}
