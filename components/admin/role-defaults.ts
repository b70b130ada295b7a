import type { MemberRoles } from "@/lib/access/member-roles";

/** A new member's starting point: look at production, work on staging and development. */
export const VIEWER_DEFAULTS: MemberRoles = {
  projectRole: "viewer",
  environmentRoles: { production: "viewer", staging: "contributor", development: "contributor" },
};
