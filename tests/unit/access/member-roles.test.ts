import { describe, expect, it } from "vitest";
import {
  memberRolesOf,
  memberRolesOfRow,
  roleColumnsOf,
  roleColumnsSelect,
  roleColumnsSql,
} from "../../../lib/access/member-roles";
import {
  describeRoles,
  memberRolesInput,
  memberRolesOfInput,
  rolesByType,
} from "../../../lib/members/member-roles";

describe("a member's roles and their stored columns", () => {
  it("reads the columns into the one shape, and writes it back the same", () => {
    const columns = {
      projectRole: "viewer",
      productionRole: null,
      stagingRole: "viewer",
      developmentRole: "contributor",
    };
    const roles = memberRolesOf(columns);
    expect(roles).toEqual({
      projectRole: "viewer",
      environmentRoles: { staging: "viewer", development: "contributor" },
    });
    expect(roleColumnsOf(roles)).toEqual(columns);
  });

  it("grants nothing for a role string it does not know, and stores no per-type roles for an admin", () => {
    expect(
      memberRolesOf({
        projectRole: "owner",
        productionRole: "root",
        stagingRole: null,
        developmentRole: "admin",
      }),
    ).toEqual({ projectRole: "viewer", environmentRoles: { development: "admin" } });
    expect(roleColumnsOf({ projectRole: "admin", environmentRoles: { production: "viewer" } })).toEqual({
      projectRole: "admin",
      productionRole: null,
      stagingRole: null,
      developmentRole: null,
    });
  });

  it("reads a joined raw row, where no membership means not a member", () => {
    expect(memberRolesOfRow({ projectRole: null, productionRole: null })).toBeNull();
    expect(memberRolesOfRow({ projectRole: "admin", productionRole: null })).toEqual({
      projectRole: "admin",
      environmentRoles: {},
    });
  });

  it("names every role column for Prisma and for raw SQL", () => {
    expect(roleColumnsSelect).toEqual({
      projectRole: true,
      productionRole: true,
      stagingRole: true,
      developmentRole: true,
    });
    expect(roleColumnsSql("m")).toBe(
      'm."projectRole", m."productionRole", m."stagingRole", m."developmentRole"',
    );
  });

  it("turns a form into roles, and roles into what people read", () => {
    const fields = memberRolesInput.parse({ projectRole: "viewer", stagingRole: "contributor" });
    const roles = memberRolesOfInput(fields);
    expect(roles).toEqual({ projectRole: "viewer", environmentRoles: { staging: "contributor" } });
    expect(rolesByType(roles)).toEqual({ production: "none", staging: "contributor", development: "none" });
    expect(describeRoles(roles)).toBe("viewer (staging:contributor)");
    expect(describeRoles(memberRolesOfInput({ ...fields, projectRole: "admin" }))).toBe("admin");
    expect(describeRoles({ projectRole: "viewer", environmentRoles: {} })).toBe(
      "viewer (no environment access)",
    );
  });
});
