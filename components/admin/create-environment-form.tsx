"use client";
import Link from "next/link";
import { useActionState, useRef } from "react";
import { createEnvironmentAction } from "@/app/actions/environments";
import { IDLE } from "@/lib/http/action-state";
import { ENVIRONMENT_TYPES } from "@/lib/access/roles";
import { Field, FormMessage, Hidden, SelectField, SubmitButton, useFocusOnError } from "./form-bits";

/**
 * Adds an environment and deploys it at once. The answer lists the operations
 * found, or shows the config error (file:line:col path: message).
 */
export function CreateEnvironmentForm({ projectId, slug }: { projectId: string; slug: string }) {
  const form = useRef<HTMLFormElement>(null);
  const [state, formAction] = useActionState(createEnvironmentAction, IDLE);
  useFocusOnError(form, state);
  const outcome = state.status === "ok" ? state.result : undefined;
  return (
    <>
      {outcome && (
        <section
          className={`panel outcome ${outcome.ok ? "ok" : "refused"}`}
          aria-labelledby="outcome-title"
          role="status"
        >
          <h2 id="outcome-title">{state.message}</h2>
          {outcome.ok ? (
            outcome.operations.length > 0 ? (
              <ul aria-label="Operations found">
                {outcome.operations.map((o) => (
                  <li key={`${o.app}/${o.worker ?? ""}/${o.name}`}>
                    <strong>{o.name}</strong> on {o.worker ? `${o.app} › ${o.worker}` : o.app}{" "}
                    <span className="badge">{o.role}</span>
                  </li>
                ))}
              </ul>
            ) : (
              <p className="muted">The config defines no runtime operations.</p>
            )
          ) : (
            <pre className="config-error">{outcome.error}</pre>
          )}
          <p className="row">
            <Link href={`/projects/${slug}/environments/${outcome.name}`}>Open {outcome.name}</Link>
            <Link href={`/projects/${slug}/settings`}>Back to settings</Link>
          </p>
        </section>
      )}
      <form ref={form} action={formAction} className="panel stack" aria-label="New environment" noValidate>
        <Hidden values={{ projectId }} />
        <Field
          name="name"
          label="Name"
          state={state}
          required
          placeholder="staging"
          hint="Lower-case letters, digits and hyphens; it becomes PLATFORM_ENVIRONMENT and PLATFORM_BRANCH."
        />
        <SelectField
          name="type"
          label="Type"
          state={state}
          defaultValue="development"
          options={ENVIRONMENT_TYPES.map((t) => ({ value: t, label: t }))}
          hint="Members get their role per type: a viewer with staging:contributor can run contributor operations on every staging environment."
        />
        <fieldset className="roles">
          <legend>Target: where the apps live</legend>
          <label className="choice">
            <input type="radio" name="targetKind" value="local" defaultChecked /> A directory on the
            worker&apos;s host
          </label>
          <label className="choice disabled">
            <input type="radio" name="targetKind" value="ssh" disabled /> An SSH host and directory (not
            available yet)
          </label>
          {state.fieldErrors?.targetKind && <p className="field-error">{state.fieldErrors.targetKind}</p>}
        </fieldset>
        <Field
          name="targetPath"
          label="Directory"
          state={state}
          required
          placeholder="/srv/shop"
          hint="Absolute path of the directory that holds .upsun/config.yaml (the app's source.root is relative to it)."
        />
        <FormMessage state={state.status === "error" ? state : IDLE} />
        <p>
          <SubmitButton pending="Adding and deploying…">Add and deploy</SubmitButton>
        </p>
      </form>
    </>
  );
}
