"use client";
import { useActionState, useRef } from "react";
import { changePasswordAction } from "@/app/actions/admin-account";
import { IDLE } from "@/app/actions/admin-form-state";
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
      <FormMessage state={state} />
      <p>
        <SubmitButton pending="Changing…">Change password</SubmitButton>
      </p>
    </form>
  );
}
