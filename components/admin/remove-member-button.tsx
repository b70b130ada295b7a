"use client";
import { removeMemberAction } from "@/app/actions/members";
import { ActionButton } from "./action-button";

/** Remove (or leave), behind a confirmation; the action then goes back to the member list (or home). */
export function RemoveMemberButton(props: {
  projectId: string;
  memberId: string;
  email: string;
  isYou: boolean;
}) {
  return (
    <ActionButton
      action={removeMemberAction}
      hidden={{ projectId: props.projectId, memberId: props.memberId }}
      label={props.isYou ? "Leave project" : "Remove member"}
      pending="Removing…"
      className="danger"
      confirm={{
        title: props.isYou ? "Leave this project?" : `Remove ${props.email}?`,
        body: props.isYou
          ? "You lose access to this project from your next request. Your past runs stay in its history."
          : `${props.email} loses access to this project from their next request. Their past runs stay in the history.`,
        confirmLabel: props.isYou ? "Leave project" : "Remove member",
      }}
    />
  );
}
