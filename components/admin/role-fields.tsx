"use client";
import { useId, useState } from "react";
import type { ActionState } from "@/lib/http/action-state";
import { ENVIRONMENT_TYPES } from "@/lib/access/roles";
import type { MemberRoles } from "@/lib/access/member-roles";
import { ENVIRONMENT_ROLE_CHOICES, rolesByType } from "@/lib/members/member-roles";

const ROLE_LABEL: Record<string, string> = {
  admin: "admin",
  contributor: "contributor",
  viewer: "viewer",
  none: "none (no access)",
};

/**
 * Project role (admin, or viewer) and, for viewers, one role per environment
 * type — `upsun user:add -r development:contributor -r staging:viewer`.
 *
 * The controls are uncontrolled and remounted on every answer of the server
 * (`state.at`): React resets a form after its action, and this way the reset
 * lands on what the user chose (after a refusal) or on the saved roles (after
 * a success), never on stale values.
 */
export function RoleFields({ state, defaults }: { state: ActionState; defaults: MemberRoles }) {
  const id = useId();
  const typedRole = state.values?.projectRole;
  const initialRole = typedRole === "admin" || typedRole === "viewer" ? typedRole : defaults.projectRole;
  const [projectRole, setProjectRole] = useState(initialRole);
  const [answeredAt, setAnsweredAt] = useState(state.at);
  if (state.at !== answeredAt) {
    // A new answer: start again from what it says (state from props, React's documented way).
    setAnsweredAt(state.at);
    setProjectRole(initialRole);
  }
  const isAdmin = projectRole === "admin";
  const error = state.fieldErrors?.projectRole;
  const round = state.at ?? 0;
  const defaultByType = rolesByType(defaults);
  return (
    <>
      <fieldset className="roles" aria-describedby={error ? `${id}-err` : undefined}>
        <legend>Project role</legend>
        <label className="choice">
          <input
            key={`admin-${round}`}
            type="radio"
            name="projectRole"
            value="admin"
            defaultChecked={initialRole === "admin"}
            onChange={() => setProjectRole("admin")}
          />{" "}
          Admin — manages the project, its environments and members; admin on every environment
        </label>
        <label className="choice">
          <input
            key={`viewer-${round}`}
            type="radio"
            name="projectRole"
            value="viewer"
            defaultChecked={initialRole === "viewer"}
            onChange={() => setProjectRole("viewer")}
          />{" "}
          Viewer — a role per environment type, below
        </label>
        {error && (
          <p id={`${id}-err`} className="field-error">
            {error}
          </p>
        )}
      </fieldset>
      <fieldset className="roles" disabled={isAdmin}>
        <legend>Role per environment type{isAdmin ? " (project admins are admin everywhere)" : ""}</legend>
        <div className="row">
          {ENVIRONMENT_TYPES.map((type) => {
            const name = `${type}Role`;
            const typed = state.values?.[name];
            const fieldError = state.fieldErrors?.[name];
            return (
              <div className="field" key={type}>
                <label htmlFor={`${id}-${type}`}>{`${type[0]?.toUpperCase()}${type.slice(1)}`}</label>
                <select
                  id={`${id}-${type}`}
                  name={name}
                  // Also remounted when the project role flips, so the type's default shows again.
                  key={`${isAdmin}-${round}`}
                  defaultValue={isAdmin ? "admin" : (typed ?? defaultByType[type])}
                  aria-invalid={fieldError ? true : undefined}
                  aria-describedby={fieldError ? `${id}-${type}-err` : undefined}
                >
                  {ENVIRONMENT_ROLE_CHOICES.map((r) => (
                    <option key={r} value={r}>
                      {ROLE_LABEL[r]}
                    </option>
                  ))}
                </select>
                {fieldError && (
                  <p id={`${id}-${type}-err`} className="field-error">
                    {fieldError}
                  </p>
                )}
              </div>
            );
          })}
        </div>
      </fieldset>
    </>
  );
}
