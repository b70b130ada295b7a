"use client";
import { useActionState } from "react";
import { checkHostKeyAction, pinHostKeyAction } from "@/app/actions/environments";
import { IDLE } from "@/lib/http/action-state";
import { ActionButton } from "./action-button";
import { FormMessage, Hidden, SubmitButton } from "./form-bits";

/**
 * An SSH environment's pinned host key, a check of what the host offers now,
 * and — when it differs — pinning the offered key after the admin checked it.
 */
export function HostKeyCheck({ environmentId, pinned }: { environmentId: string; pinned: string | null }) {
  const [state, check] = useActionState(checkHostKeyAction, IDLE);
  const probe = state.status === "ok" ? state.result : undefined;
  const offered = probe?.fingerprint ?? null;
  return (
    <div className="stack">
      <span className="muted">
        host key <code>{pinned ?? "not pinned"}</code>
      </span>
      <form action={check} className="inline-action">
        <Hidden values={{ environmentId }} />
        <SubmitButton pending="Connecting…">Check host key</SubmitButton>
      </form>
      <FormMessage state={state} />
      {offered && offered !== pinned && (
        <ActionButton
          action={pinHostKeyAction}
          hidden={{ environmentId, hostKey: offered }}
          label="Pin the offered key"
          pending="Pinning…"
          className="danger"
          confirm={{
            title: "Pin a new host key?",
            body: `The host now offers ${offered} (pinned: ${pinned ?? "nothing"}). Pin it only after checking on the host that its key changed on purpose (ssh-keygen -l -f /etc/ssh/ssh_host_ed25519_key.pub): otherwise someone may be in between.`,
            confirmLabel: "Pin and refresh",
          }}
        />
      )}
    </div>
  );
}
