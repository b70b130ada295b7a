"use client";
import { useActionState, useRef } from "react";
import { IDLE } from "@/lib/http/action-state";
import { addMemberAction } from "@/app/actions/members";
import { Field, FormMessage, Hidden, SubmitButton, useFocusOnError } from "./form-bits";
import { VIEWER_DEFAULTS } from "./role-defaults";
import { RoleFields } from "./role-fields";

export function AddMemberForm({ projectId }: { projectId: string }) {
  const form = useRef<HTMLFormElement>(null);
  const [state, formAction] = useActionState(addMemberAction, IDLE);
  useFocusOnError(form, state);
  return (
    <form
      ref={form}
      action={formAction}
      className="panel stack"
      aria-labelledby="add-member-title"
      noValidate
    >
      <h3 id="add-member-title">Add an existing user</h3>
      <Hidden values={{ projectId }} />
      <Field name="email" label="Email of the user" type="email" state={state} required autoComplete="off" />
      <RoleFields state={state} defaults={VIEWER_DEFAULTS} />
      <FormMessage state={state} />
      <p>
        <SubmitButton pending="Adding…">Add member</SubmitButton>
      </p>
    </form>
  );
}
