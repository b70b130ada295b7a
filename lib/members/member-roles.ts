import { z } from "zod";
import { ENVIRONMENT_TYPES, type EnvironmentType } from "../access/roles";

/** What a form offers per environment type: a role, or "none" (no access to those environments). */
export const ENVIRONMENT_ROLE_CHOICES = ["admin", "contributor", "viewer", "none"] as const;
const environmentRoleChoice = z.enum(ENVIRONMENT_ROLE_CHOICES, {
  error: "Choose admin, contributor, viewer or none",
});

/**
 * A member's roles as typed in a form: project admin, or project viewer with
 * one role per environment type, like `upsun user:add -r staging:viewer`.
 */
export const memberRolesInput = z.object({
  projectRole: z.enum(["admin", "viewer"], { error: "Choose admin or viewer" }),
  productionRole: environmentRoleChoice.default("none"),
  stagingRole: environmentRoleChoice.default("none"),
  developmentRole: environmentRoleChoice.default("none"),
});
export type MemberRolesInput = z.input<typeof memberRolesInput>;
export type MemberRoles = z.output<typeof memberRolesInput>;

/** The columns stored on Membership/Invitation. A project admin is admin everywhere, so no per-type roles. */
export type StoredRoles = {
  projectRole: "admin" | "viewer";
  productionRole: string | null;
  stagingRole: string | null;
  developmentRole: string | null;
};

export function toStoredRoles(roles: MemberRoles): StoredRoles {
  if (roles.projectRole === "admin") {
    return { projectRole: "admin", productionRole: null, stagingRole: null, developmentRole: null };
  }
  const column = (choice: (typeof ENVIRONMENT_ROLE_CHOICES)[number]) => (choice === "none" ? null : choice);
  return {
    projectRole: "viewer",
    productionRole: column(roles.productionRole),
    stagingRole: column(roles.stagingRole),
    developmentRole: column(roles.developmentRole),
  };
}

type RoleColumns = {
  projectRole: string;
  productionRole: string | null;
  stagingRole: string | null;
  developmentRole: string | null;
};

/** The role on each environment type, "none" when there is no access. */
export function rolesByType(m: RoleColumns): Record<EnvironmentType, string> {
  if (m.projectRole === "admin") return { production: "admin", staging: "admin", development: "admin" };
  return {
    production: m.productionRole ?? "none",
    staging: m.stagingRole ?? "none",
    development: m.developmentRole ?? "none",
  };
}

/** As people read it (and as `upsun user:add -r` writes it): "admin", or "production:viewer, staging:contributor". */
export function describeRoles(m: RoleColumns): string {
  if (m.projectRole === "admin") return "admin";
  const byType = rolesByType(m);
  const parts = ENVIRONMENT_TYPES.filter((t) => byType[t] !== "none").map((t) => `${t}:${byType[t]}`);
  return parts.length ? `viewer (${parts.join(", ")})` : "viewer (no environment access)";
}
