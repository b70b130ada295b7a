"use client";
import { useActionState, useRef } from "react";
import { updateProfileAction } from "@/app/actions/account";
import { IDLE } from "@/lib/http/action-state";
import { Field, FormMessage, SubmitButton, useFocusOnError } from "./form-bits";

export function ProfileForm({ name }: { name: string }) {
  const form = useRef<HTMLFormElement>(null);
  const [state, formAction] = useActionState(updateProfileAction, IDLE);
  useFocusOnError(form, state);
  return (
    <form ref={form} action={formAction} className="panel stack" aria-labelledby="profile-title" noValidate>
      <h2 id="profile-title">Profile</h2>
      <Field name="name" label="Name" state={state} required autoComplete="name" defaultValue={name} />
      <FormMessage state={state} />
      <p>
        <SubmitButton pending="Saving…">Save name</SubmitButton>
      </p>
    </form>
  );
}
