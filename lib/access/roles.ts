import { z } from "zod";

/** Roles in increasing order of power: viewer < contributor < admin. */
export const ROLES = ["viewer", "contributor", "admin"] as const;
export const roleSchema = z.enum(ROLES);
export type Role = z.infer<typeof roleSchema>;

export const ENVIRONMENT_TYPES = ["production", "staging", "development"] as const;
export const environmentTypeSchema = z.enum(ENVIRONMENT_TYPES);
export type EnvironmentType = z.infer<typeof environmentTypeSchema>;

export function roleRank(role: Role): number {
  return ROLES.indexOf(role);
}

export function roleAtLeast(have: Role, need: Role): boolean {
  return roleRank(have) >= roleRank(need);
}
