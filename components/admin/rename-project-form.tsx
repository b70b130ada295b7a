"use client";
import { useActionState, useRef } from "react";
import { IDLE } from "@/lib/http/action-state";
import { renameProjectAction } from "@/app/actions/projects";
import { Field, FormMessage, Hidden, SubmitButton, useFocusOnError } from "./form-bits";

export function RenameProjectForm({
  projectId,
  name,
  slug,
}: {
  projectId: string;
  name: string;
  slug: string;
}) {
  const form = useRef<HTMLFormElement>(null);
  const [state, formAction] = useActionState(renameProjectAction, IDLE);
  useFocusOnError(form, state);
  return (
    <form ref={form} action={formAction} className="panel stack" aria-labelledby="rename-title" noValidate>
      <h3 id="rename-title">Name</h3>
      <Hidden values={{ projectId }} />
      <Field
        name="name"
        label="Project name"
        state={state}
        required
        defaultValue={name}
        hint={
          <>
            The slug <code>{slug}</code> stays: it is in URLs and CLI commands.
          </>
        }
      />
      <FormMessage state={state} />
      <p>
        <SubmitButton pending="Saving…">Rename project</SubmitButton>
      </p>
    </form>
  );
}
