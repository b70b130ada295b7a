import { describe, expect, it } from "vitest";
import { decide } from "../../../lib/access/decide";
import type { MemberRoles } from "../../../lib/access/member-roles";
import { ENVIRONMENT_TYPES, type EnvironmentType, ROLES, type Role } from "../../../lib/access/roles";

/** Every member shape: project admin, and project viewer with each role (or none) per type. */
const roleOrNone = [...ROLES, null] as const;
function* members(): Generator<{ label: string; member: MemberRoles }> {
  yield { label: "project admin", member: { projectRole: "admin", environmentRoles: {} } };
  for (const production of roleOrNone)
    for (const staging of roleOrNone)
      for (const development of roleOrNone) {
        const environmentRoles: MemberRoles["environmentRoles"] = {};
        if (production) environmentRoles.production = production;
        if (staging) environmentRoles.staging = staging;
        if (development) environmentRoles.development = development;
        yield {
          label: `viewer p=${production} s=${staging} d=${development}`,
          member: { projectRole: "viewer", environmentRoles },
        };
      }
}

const rank: Record<Role, number> = { viewer: 0, contributor: 1, admin: 2 };

/** The rule, written independently of the implementation, as the README's "Members and roles" states it. */
function expected(member: MemberRoles, type: EnvironmentType, opRole: Role) {
  const have = member.projectRole === "admin" ? "admin" : member.environmentRoles[type];
  if (!have) return { allowed: false, status: 404 };
  return rank[have] >= rank[opRole] ? { allowed: true } : { allowed: false, status: 403 };
}

describe("the access rule", () => {
  const cases = [...members()];

  it("covers every member role × operation role × environment type (run and cancel)", () => {
    let checked = 0;
    for (const { label, member } of cases)
      for (const environmentType of ENVIRONMENT_TYPES)
        for (const operationRole of ROLES)
          for (const kind of ["run-operation", "cancel-run"] as const) {
            const got = decide(member, { kind, environmentType, operationRole });
            const want = expected(member, environmentType, operationRole);
            expect({ label, environmentType, operationRole, kind, allowed: got.allowed }).toEqual({
              label,
              environmentType,
              operationRole,
              kind,
              allowed: want.allowed,
            });
            if (!got.allowed) {
              expect(got.status).toBe(want.status);
              if (got.status === 403) expect(got.reason).toBe(`requires ${operationRole}`);
            }
            checked++;
          }
    expect(checked).toBe(cases.length * 3 * 3 * 2);
  });

  it("lets any role see an environment, and hides environments with no role as 404", () => {
    for (const { member } of cases)
      for (const environmentType of ENVIRONMENT_TYPES) {
        const got = decide(member, { kind: "view-environment", environmentType });
        const has = member.projectRole === "admin" || member.environmentRoles[environmentType] !== undefined;
        expect(got.allowed).toBe(has);
        if (!got.allowed) expect(got.status).toBe(404);
      }
  });

  it("answers 404 for everything to a non-member", () => {
    for (const action of [
      { kind: "view-project" } as const,
      { kind: "admin-project" } as const,
      { kind: "view-environment", environmentType: "development" } as const,
      { kind: "run-operation", environmentType: "development", operationRole: "viewer" } as const,
    ]) {
      expect(decide(null, action)).toMatchObject({ allowed: false, status: 404 });
    }
  });

  it("lets only project admins administer a project", () => {
    expect(decide({ projectRole: "admin", environmentRoles: {} }, { kind: "admin-project" }).allowed).toBe(
      true,
    );
    const viewer = decide(
      {
        projectRole: "viewer",
        environmentRoles: { production: "admin", staging: "admin", development: "admin" },
      },
      { kind: "admin-project" },
    );
    expect(viewer).toMatchObject({ allowed: false, status: 403 });
  });
});
