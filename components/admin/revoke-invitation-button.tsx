"use client";
import { revokeInvitationAction } from "@/app/actions/invitations";
import { ActionButton } from "./action-button";

export function RevokeInvitationButton({
  projectId,
  invitationId,
}: {
  projectId: string;
  invitationId: string;
}) {
  return (
    <ActionButton
      action={revokeInvitationAction}
      hidden={{ projectId, invitationId }}
      label="Revoke"
      pending="Revoking…"
      confirm={{
        title: "Revoke this invitation?",
        body: "Its link stops working at once. You can create a new one later.",
        confirmLabel: "Revoke invitation",
      }}
    />
  );
}
