"use client";
import { useActionState, useRef } from "react";
import { changePasswordAction } from "@/app/actions/account";
import { IDLE } from "@/lib/http/action-state";
import { PASSWORD_MIN } from "@/lib/users/user-input";
import { Field, FormMessage, SubmitButton, useFocusOnError } from "./form-bits";

export function PasswordForm() {
  const form = useRef<HTMLFormElement>(null);
  const [state, formAction] = useActionState(changePasswordAction, IDLE);
  useFocusOnError(form, state);
  return (
    <form ref={form} action={formAction} className="panel stack" aria-labelledby="password-title" noValidate>
      <h2 id="password-title">Change password</h2>
      <Field
        name="current"
        label="Current password"
        type="password"
        state={state}
        required
        autoComplete="current-password"
      />
      <Field
        name="password"
        label="New password"
        type="password"
        state={state}
        required
        autoComplete="new-password"
        hint={`At least ${PASSWORD_MIN} characters.`}
      />
      <Field
        name="confirm"
        label="New password again"
        type="password"
        state={state}
        required
        autoComplete="new-password"
      />
      <div className="field">
        {/* A checkbox sends nothing when unticked: the hidden "false" comes first, a ticked box's "true" wins. */}
        <input type="hidden" name="signOutOthers" value="false" />
        <label>
          <input
            // Re-mounted on each answer, so it shows what was sent rather than the default.
            key={state.at ?? "initial"}
            type="checkbox"
            name="signOutOthers"
            value="true"
            defaultChecked={state.values?.signOutOthers !== "false"}
          />{" "}
          Sign out my other sessions
        </label>
        <p className="hint">Everywhere else you are signed in (other browsers, devices) signs in again.</p>
      </div>
      <FormMessage state={state} />
      <p>
        <SubmitButton pending="Changing…">Change password</SubmitButton>
      </p>
    </form>
  );
}
