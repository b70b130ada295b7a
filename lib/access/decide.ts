import type { MemberRoles } from "./member-roles";
import { type EnvironmentType, type Role, roleAtLeast } from "./roles";

/** Everything a user can ask to do, at the level the rule cares about. */
export type AccessAction =
  | { kind: "view-project" }
  | { kind: "admin-project" }
  | { kind: "view-environment"; environmentType: EnvironmentType }
  | { kind: "run-operation"; environmentType: EnvironmentType; operationRole: Role }
  | { kind: "cancel-run"; environmentType: EnvironmentType; operationRole: Role };

export type AccessDecision =
  | { allowed: true; role: Role | null }
  /** 404: the resource must look as if it did not exist. 403: seen, but not allowed. */
  | { allowed: false; status: 403 | 404; reason: string };

/** The member's role on environments of a type: project admins are admin everywhere. */
export function environmentRole(member: MemberRoles, type: EnvironmentType): Role | null {
  if (member.projectRole === "admin") return "admin";
  return member.environmentRoles[type] ?? null;
}

const notFound: AccessDecision = { allowed: false, status: 404, reason: "not found" };

/**
 * The access rule of runops (decision 0003, README "Members and roles"). Pure: callers
 * load the membership; `Access` (lib/access/access.ts) is the one entry point that
 * every page, server action and route handler goes through.
 */
export function decide(member: MemberRoles | null, action: AccessAction): AccessDecision {
  if (!member) return notFound;
  switch (action.kind) {
    case "view-project":
      return { allowed: true, role: member.projectRole === "admin" ? "admin" : null };
    case "admin-project":
      return member.projectRole === "admin"
        ? { allowed: true, role: "admin" }
        : { allowed: false, status: 403, reason: "requires project admin" };
    case "view-environment": {
      const role = environmentRole(member, action.environmentType);
      return role ? { allowed: true, role } : notFound;
    }
    case "run-operation":
    case "cancel-run": {
      const role = environmentRole(member, action.environmentType);
      if (!role) return notFound;
      if (!roleAtLeast(role, action.operationRole)) {
        return { allowed: false, status: 403, reason: `requires ${action.operationRole}` };
      }
      return { allowed: true, role };
    }
  }
}
