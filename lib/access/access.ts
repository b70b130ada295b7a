import { cache } from "react";
import { recordAudit } from "../audit/record-audit";
import type { Db } from "../db/client";
import { AppError } from "../errors";
import type { Actor } from "./actor";
import { type AccessAction, type AccessDecision, type MemberRoles, decide } from "./decide";
import { type Role, roleSchema } from "./roles";

/** The role columns of a Membership row (null: not a member). */
export type MembershipRoleColumns = {
  projectRole: string;
  productionRole: string | null;
  stagingRole: string | null;
  developmentRole: string | null;
};

/** Rows are validated on the way in: an unknown role string grants nothing. */
function parseRole(value: string | null): Role | undefined {
  const parsed = roleSchema.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}

/** What the access rule needs from a membership row (read alone or joined to what a request loads). */
export function memberRolesOf(m: MembershipRoleColumns | null): MemberRoles | null {
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

/** The same from a raw joined row with the Membership columns (all null: not a member). */
export function memberRolesOfRow(r: Record<string, unknown>): MemberRoles | null {
  const text = (v: unknown) => (v === null || v === undefined ? null : String(v));
  const projectRole = text(r.projectRole);
  if (projectRole === null) return null;
  return memberRolesOf({
    projectRole,
    productionRole: text(r.productionRole),
    stagingRole: text(r.stagingRole),
    developmentRole: text(r.developmentRole),
  });
}

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
    select: { projectRole: true, productionRole: true, stagingRole: true, developmentRole: true },
  });
  return accessFor(db, actor, projectId, memberRolesOf(m));
});
