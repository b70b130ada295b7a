"use client";
import { useActionState, useRef, useState } from "react";
import { IDLE } from "@/lib/http/action-state";
import { createProjectAction } from "@/app/actions/projects";
import { Field, FormMessage, SubmitButton, useFocusOnError } from "./form-bits";

/** What the slug becomes from the name until the slug is edited by hand. */
function slugify(name: string): string {
  return name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 40)
    .replace(/-+$/, "");
}

export function CreateProjectForm() {
  const form = useRef<HTMLFormElement>(null);
  const [state, formAction] = useActionState(createProjectAction, IDLE);
  const [slug, setSlug] = useState("");
  const [slugEdited, setSlugEdited] = useState(false);
  const [answeredAt, setAnsweredAt] = useState(state.at);
  if (state.at !== answeredAt) {
    // A refusal sends back what was typed: keep the slug the user saw (state from props, React's documented way).
    setAnsweredAt(state.at);
    if (state.values?.slug !== undefined) setSlug(state.values.slug);
  }
  useFocusOnError(form, state);
  return (
    <form ref={form} action={formAction} className="panel stack" noValidate>
      <Field
        name="name"
        label="Name"
        state={state}
        required
        hint="As people see it, e.g. Demo Shop. It can be changed later."
        onChange={(name) => {
          if (!slugEdited) setSlug(slugify(name));
        }}
      />
      <Field
        name="slug"
        label="Slug"
        state={state}
        required
        value={slug}
        onChange={(value) => {
          setSlugEdited(true);
          setSlug(value);
        }}
        hint="In URLs and in the CLI (runops ops -p <slug>): lower-case letters, digits and hyphens. It cannot be changed later."
      />
      <FormMessage state={state} />
      <p>
        <SubmitButton pending="Creating…">Create project</SubmitButton>
      </p>
    </form>
  );
}
