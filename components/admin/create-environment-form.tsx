"use client";
import Link from "next/link";
import { useActionState, useRef, useState } from "react";
import { createEnvironmentAction } from "@/app/actions/environments";
import { ENVIRONMENT_TYPES } from "@/lib/access/roles";
import { type ActionState, IDLE } from "@/lib/http/action-state";
import { DeployOutcomePanel } from "./deploy-outcome";
import { Field, FormMessage, Hidden, SelectField, SubmitButton, useFocusOnError } from "./form-bits";
import { HostKeyPanel } from "./host-key-panel";
import { ProjectPublicKey } from "./project-public-key";

/**
 * Adds an environment and deploys it at once. The answer lists the operations
 * found, or shows the config error (file:line:col path: message). An SSH target
 * takes one more step: the host's key is shown to be confirmed, then pinned.
 */
export function CreateEnvironmentForm({
  projectId,
  slug,
  publicKeys,
}: {
  projectId: string;
  slug: string;
  /** The project's public SSH keys (more than one during a rotation). */
  publicKeys: string[];
}) {
  const form = useRef<HTMLFormElement>(null);
  const [state, formAction] = useActionState(createEnvironmentAction, IDLE);
  useFocusOnError(form, state);
  const result = state.status === "ok" ? state.result : undefined;
  const confirming = result?.kind === "confirm-host-key" ? result : undefined;
  // While confirming, the fields show what was typed (a successful answer echoes nothing itself).
  const shown: ActionState = confirming ? { ...state, values: confirming.values } : state;
  const [kind, setKind] = useState(state.values?.targetKind ?? "local");
  const ssh = kind === "ssh";
  return (
    <>
      {result?.kind === "deployed" && (
        <DeployOutcomePanel outcome={result} message={state.message} slug={slug} />
      )}
      <form ref={form} action={formAction} className="panel stack" aria-label="New environment" noValidate>
        <Hidden values={{ projectId }} />
        <Field
          name="name"
          label="Name"
          state={shown}
          required
          placeholder="staging"
          hint="Lower-case letters, digits and hyphens; it becomes PLATFORM_ENVIRONMENT and PLATFORM_BRANCH."
        />
        <SelectField
          name="type"
          label="Type"
          state={shown}
          defaultValue="development"
          options={ENVIRONMENT_TYPES.map((t) => ({ value: t, label: t }))}
          hint="Members get their role per type: a viewer with staging:contributor can run contributor operations on every staging environment."
        />
        <fieldset className="roles">
          <legend>Target: where the apps live</legend>
          {/* Uncontrolled, keyed on the choice: React resets a form after its action, and a reset
              puts radios back to their default, which must be the choice shown. */}
          <label className="choice" key={`local-${ssh}`}>
            <input
              type="radio"
              name="targetKind"
              value="local"
              defaultChecked={!ssh}
              onChange={() => setKind("local")}
            />{" "}
            A directory on the hosts of the pool&apos;s workers
          </label>
          <label className="choice" key={`ssh-${ssh}`}>
            <input
              type="radio"
              name="targetKind"
              value="ssh"
              defaultChecked={ssh}
              onChange={() => setKind("ssh")}
            />{" "}
            An SSH host and directory
          </label>
          {state.fieldErrors?.targetKind && <p className="field-error">{state.fieldErrors.targetKind}</p>}
        </fieldset>
        {ssh && (
          <>
            <Field
              name="targetHost"
              label="SSH host"
              state={shown}
              required
              placeholder="deploy@app1.example.com:22"
              hint="user@host or user@host:port. runops logs in with the project's key, never a password."
            />
            <ProjectPublicKey projectId={projectId} publicKeys={publicKeys} />
          </>
        )}
        <Field
          name="targetPath"
          label="Directory"
          state={shown}
          required
          placeholder="/srv/shop"
          hint={
            ssh
              ? "Absolute path on the SSH host of the directory that holds .upsun/ (read over SFTP)."
              : "Absolute path of the directory that holds .upsun/config.yaml (the app's source.root is relative to it)."
          }
        />
        <Field
          name="pool"
          label="Worker pool"
          state={shown}
          placeholder="default"
          hint={
            ssh
              ? "Any worker of this pool (runops worker --pool NAME) may connect to the host. Empty: default."
              : "The workers started with --pool NAME on the hosts that hold this directory. Empty: default."
          }
        />
        {confirming && <HostKeyPanel probe={confirming.probe} />}
        <FormMessage state={state.status === "error" ? state : IDLE} />
        <p>
          {confirming?.probe.fingerprint ? (
            <SubmitButton pending="Adding and deploying…">Confirm host key, add and deploy</SubmitButton>
          ) : (
            <SubmitButton pending={ssh ? "Connecting…" : "Adding and deploying…"}>
              {ssh ? "Connect" : "Add and deploy"}
            </SubmitButton>
          )}
        </p>
      </form>
      <p>
        <Link href={`/projects/${slug}/settings`}>Back to settings</Link>
      </p>
    </>
  );
}
