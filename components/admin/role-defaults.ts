/** What the role fields start from (shared by server pages and client forms). */
export type RoleDefaults = {
  projectRole: "admin" | "viewer";
  production: string;
  staging: string;
  development: string;
};

/** A new member's starting point: look at production, work on staging and development. */
export const VIEWER_DEFAULTS: RoleDefaults = {
  projectRole: "viewer",
  production: "viewer",
  staging: "contributor",
  development: "contributor",
};
