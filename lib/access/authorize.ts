import { recordAudit } from "../audit/record-audit";
import type { Db } from "../db/client";
import { AppError } from "../errors";
import type { Actor } from "./actor";
import { type AccessAction, type AccessDecision, type MemberRoles, decide } from "./decide";
import { type Role, roleSchema } from "./roles";

/** Rows are validated on the way in: an unknown role string grants nothing. */
function parseRole(value: string | null): Role | undefined {
  const parsed = roleSchema.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}

export async function loadMemberRoles(
  db: Db,
  userId: string,
  projectId: string,
): Promise<MemberRoles | null> {
  const m = await db.membership.findUnique({ where: { projectId_userId: { projectId, userId } } });
  if (!m) return null;
  const environmentRoles: MemberRoles["environmentRoles"] = {};
  const production = parseRole(m.productionRole);
  const staging = parseRole(m.stagingRole);
  const development = parseRole(m.developmentRole);
  if (production) environmentRoles.production = production;
  if (staging) environmentRoles.staging = staging;
  if (development) environmentRoles.development = development;
  return { projectRole: m.projectRole === "admin" ? "admin" : "viewer", environmentRoles };
}

/**
 * The one access check. Every page, server action, route handler and API
 * token path calls this (or `requireAccess`) with the membership read fresh
 * from the database, so a role change applies on the very next request.
 */
export async function authorize(
  db: Db,
  actor: Actor,
  projectId: string,
  action: AccessAction,
): Promise<AccessDecision> {
  return decide(await loadMemberRoles(db, actor.userId, projectId), action);
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
  const decision =
    member === undefined ? await authorize(db, actor, projectId, action) : decide(member, action);
  if (!decision.allowed) {
    if (decision.status === 403) {
      await recordAudit(db, {
        projectId,
        actor,
        action: "access.denied",
        target: what,
        details: { attempted: action, reason: decision.reason },
      });
    }
    throw decision.status === 404
      ? new AppError(404, "not_found", `${what} not found`)
      : new AppError(403, "forbidden", `Not allowed: ${decision.reason}`);
  }
}
