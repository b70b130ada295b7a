import { ENVIRONMENT_TYPES, type EnvironmentType, type Role, roleSchema } from "./roles";

/**
 * A member's roles, the one shape everything speaks (the rule, forms, lists, audit): project
 * admin (admin on every environment), or project viewer with a role per environment type
 * (missing: no access to those environments). Null elsewhere means "not a member".
 */
export type MemberRoles = {
  projectRole: "admin" | "viewer";
  environmentRoles: Partial<Record<EnvironmentType, Role>>;
};

/** The column a type's role is stored in, on Membership and Invitation: `stagingRole`, … */
export type RoleColumn = `${EnvironmentType}Role`;
export const roleColumn = (type: EnvironmentType): RoleColumn => `${type}Role`;
const ROLE_COLUMNS: readonly RoleColumn[] = ENVIRONMENT_TYPES.map(roleColumn);

/** The stored role columns (as read: any string, validated by `memberRolesOf`). */
export type RoleColumns = { projectRole: string } & Record<RoleColumn, string | null>;

/** Prisma `select` of the role columns. */
export const roleColumnsSelect = Object.fromEntries(
  ["projectRole", ...ROLE_COLUMNS].map((column) => [column, true]),
  // Object.fromEntries forgets the keys; they are exactly the columns above.
) as { projectRole: true } & Record<RoleColumn, true>;

/** The role columns for raw SQL, from the membership table aliased `alias`. */
export const roleColumnsSql = (alias: string) =>
  ["projectRole", ...ROLE_COLUMNS].map((column) => `${alias}."${column}"`).join(", ");

/** Rows are validated on the way in: an unknown role string grants nothing. */
export function memberRolesOf(columns: RoleColumns): MemberRoles {
  if (columns.projectRole === "admin") return { projectRole: "admin", environmentRoles: {} };
  const environmentRoles: MemberRoles["environmentRoles"] = {};
  for (const type of ENVIRONMENT_TYPES) {
    const role = roleSchema.safeParse(columns[roleColumn(type)]);
    if (role.success) environmentRoles[type] = role.data;
  }
  return { projectRole: "viewer", environmentRoles };
}

/** The same from a raw joined row holding the role columns (a null projectRole: not a member). */
export function memberRolesOfRow(row: Record<string, unknown>): MemberRoles | null {
  const text = (v: unknown) => (v === null || v === undefined ? null : String(v));
  const projectRole = text(row.projectRole);
  if (projectRole === null) return null;
  const columns: RoleColumns = { projectRole, ...columnsOf((type) => text(row[roleColumn(type)])) };
  return memberRolesOf(columns);
}

/** What is stored for these roles. A project admin is admin everywhere: no per-type roles. */
export function roleColumnsOf(member: MemberRoles): { projectRole: "admin" | "viewer" } & RoleColumns {
  const admin = member.projectRole === "admin";
  return {
    projectRole: member.projectRole,
    ...columnsOf((type) => (admin ? null : (member.environmentRoles[type] ?? null))),
  };
}

function columnsOf(value: (type: EnvironmentType) => string | null): Record<RoleColumn, string | null> {
  return Object.fromEntries(ENVIRONMENT_TYPES.map((type) => [roleColumn(type), value(type)])) as Record<
    RoleColumn,
    string | null
  >;
}
