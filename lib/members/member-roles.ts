import { z } from "zod";
import { type MemberRoles, type RoleColumn, roleColumn } from "../access/member-roles";
import { ENVIRONMENT_TYPES, type EnvironmentType, type Role } from "../access/roles";

/** What a form offers per environment type: a role, or "none" (no access to those environments). */
export const ENVIRONMENT_ROLE_CHOICES = ["admin", "contributor", "viewer", "none"] as const;
type RoleChoice = (typeof ENVIRONMENT_ROLE_CHOICES)[number];
const environmentRoleChoice = z.enum(ENVIRONMENT_ROLE_CHOICES, {
  error: "Choose admin, contributor, viewer or none",
});

/** One field per environment type, named like its column (`stagingRole`). */
const environmentRoleFields = Object.fromEntries(
  ENVIRONMENT_TYPES.map((type) => [roleColumn(type), environmentRoleChoice.default("none")]),
  // Object.fromEntries forgets the keys; they are exactly the role columns.
) as Record<RoleColumn, z.ZodDefault<typeof environmentRoleChoice>>;

/**
 * A member's roles as typed in a form: project admin, or project viewer with
 * one role per environment type, like `upsun user:add -r staging:viewer`.
 */
export const memberRolesInput = z.object({
  projectRole: z.enum(["admin", "viewer"], { error: "Choose admin or viewer" }),
  ...environmentRoleFields,
});
export type MemberRolesInput = z.input<typeof memberRolesInput>;

/** The roles a parsed form means (a project admin is admin everywhere: the per-type fields are ignored). */
export function memberRolesOfInput(fields: z.output<typeof memberRolesInput>): MemberRoles {
  if (fields.projectRole === "admin") return { projectRole: "admin", environmentRoles: {} };
  const environmentRoles: MemberRoles["environmentRoles"] = {};
  for (const type of ENVIRONMENT_TYPES) {
    const choice = fields[roleColumn(type)];
    if (choice !== "none") environmentRoles[type] = choice;
  }
  return { projectRole: "viewer", environmentRoles };
}

/** The role on each environment type, "none" when there is no access. */
export function rolesByType(member: MemberRoles): Record<EnvironmentType, Role | "none"> {
  const of = (type: EnvironmentType): RoleChoice =>
    member.projectRole === "admin" ? "admin" : (member.environmentRoles[type] ?? "none");
  return Object.fromEntries(ENVIRONMENT_TYPES.map((type) => [type, of(type)])) as Record<
    EnvironmentType,
    Role | "none"
  >;
}

/** As people read it (and as `upsun user:add -r` writes it): "admin", or "viewer (production:viewer, staging:contributor)". */
export function describeRoles(member: MemberRoles): string {
  if (member.projectRole === "admin") return "admin";
  const byType = rolesByType(member);
  const parts = ENVIRONMENT_TYPES.filter((t) => byType[t] !== "none").map((t) => `${t}:${byType[t]}`);
  return parts.length ? `viewer (${parts.join(", ")})` : "viewer (no environment access)";
}
