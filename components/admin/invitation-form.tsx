"use client";
import { useActionState, useRef, useState } from "react";
import { IDLE } from "@/lib/http/action-state";
import { createInvitationAction } from "@/app/actions/invitations";
import { Field, FormMessage, Hidden, SubmitButton, useFocusOnError } from "./form-bits";
import { VIEWER_DEFAULTS } from "./role-defaults";
import { RoleFields } from "./role-fields";
import { utc } from "../when";

/** Creates an invitation link and shows it once, with a copy button. */
export function InvitationForm({ projectId }: { projectId: string }) {
  const form = useRef<HTMLFormElement>(null);
  const [state, formAction] = useActionState(createInvitationAction, IDLE);
  const [copied, setCopied] = useState<string | null>(null);
  useFocusOnError(form, state);
  const link =
    state.status === "ok" && state.result
      ? `${typeof window === "undefined" ? "" : window.location.origin}${state.result.path}`
      : null;
  return (
    <form ref={form} action={formAction} className="panel stack" aria-labelledby="invite-title" noValidate>
      <h3 id="invite-title">Create an invitation link</h3>
      <p className="muted">
        For someone without an account (they create one when they open it) or with one. The link works once.
      </p>
      <Hidden values={{ projectId }} />
      <Field
        name="email"
        label="Only for this email (optional)"
        type="email"
        state={state}
        autoComplete="off"
        hint="Leave empty to let whoever opens the link join."
      />
      <RoleFields state={state} defaults={VIEWER_DEFAULTS} />
      <Field
        name="expiresInDays"
        label="Expires after (days)"
        type="number"
        inputMode="numeric"
        min={1}
        max={30}
        state={state}
        defaultValue="7"
      />
      <FormMessage state={state} />
      {link && state.result && (
        <div className="secret" key={state.at}>
          <label htmlFor="invitation-link">Invitation link (shown once)</label>
          <div className="row">
            <input
              id="invitation-link"
              readOnly
              value={link}
              size={60}
              onFocus={(e) => e.currentTarget.select()}
            />
            <button
              type="button"
              onClick={() =>
                void navigator.clipboard?.writeText(link).then(
                  () => setCopied(link),
                  () => setCopied(null),
                )
              }
            >
              Copy link
            </button>
            <span role="status" className="muted">
              {copied === link ? "Copied." : ""}
            </span>
          </div>
          <p className="hint">Expires {utc(state.result.expiresAt)}.</p>
        </div>
      )}
      <p>
        <SubmitButton pending="Creating…">Create invitation link</SubmitButton>
      </p>
    </form>
  );
}
