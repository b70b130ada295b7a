import { cache } from "react";
import { recordAudit } from "../audit/record-audit";
import type { Db } from "../db/client";
import { AppError } from "../errors";
import type { Actor } from "./actor";
import { type AccessAction, type AccessDecision, decide } from "./decide";
import { type MemberRoles, memberRolesOf, roleColumnsSelect } from "./member-roles";

/**
 * The actor's access to one project for one request: the membership is read
 * once (on its own, or joined to the rows the request loads anyway) and every
 * question is put to `decide()`, the one rule.
 */
export type Access = {
  readonly projectId: string;
  readonly member: MemberRoles | null;
  can(action: AccessAction): AccessDecision;
  /**
   * `can`, throwing 404 or 403 on a no. A 403 is written to the project's audit log, unless
   * `audit: false` (looking at a page is not an attempt to change anything).
   */
  require(action: AccessAction, what?: string, options?: { audit?: boolean }): Promise<void>;
};

/** An access object for a membership the caller has just read fresh from the database. */
export function accessFor(db: Db, actor: Actor, projectId: string, member: MemberRoles | null): Access {
  const can = (action: AccessAction) => decide(member, action);
  return {
    projectId,
    member,
    can,
    async require(action, what = "resource", { audit = true } = {}) {
      const decision = can(action);
      if (decision.allowed) return;
      // A member trying something above their role: that is what a crafted request looks like.
      if (decision.status === 403 && audit) {
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
    },
  };
}

/**
 * The actor's access to a project: the membership, read fresh from the database (one indexed
 * query) — so a role change applies on the very next request — and memoised for the rest of this
 * one (React `cache()`: a page, its layout and its metadata ask once; outside a React render, as
 * in the worker, every call reads).
 */
export const loadAccess = cache(async (db: Db, actor: Actor, projectId: string): Promise<Access> => {
  const m = await db.membership.findUnique({
    where: { projectId_userId: { projectId, userId: actor.userId } },
    select: roleColumnsSelect,
  });
  return accessFor(db, actor, projectId, m ? memberRolesOf(m) : null);
});
