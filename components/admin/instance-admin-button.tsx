"use client";
import { setInstanceAdminAction } from "@/app/actions/users";
import { ActionButton } from "./action-button";

/** Grant or revoke instance administration for one user (one action: its message survives the flip). */
export function InstanceAdminButton({
  userId,
  email,
  isAdmin,
}: {
  userId: string;
  email: string;
  isAdmin: boolean;
}) {
  return isAdmin ? (
    <ActionButton
      action={setInstanceAdminAction}
      hidden={{ userId, isAdmin: "false" }}
      label="Revoke instance admin"
      pending="Revoking…"
      confirm={{
        title: `Revoke instance admin from ${email}?`,
        body: "They keep their project memberships but can no longer create projects, list users or read the instance audit log.",
        confirmLabel: "Revoke instance admin",
      }}
    />
  ) : (
    <ActionButton
      action={setInstanceAdminAction}
      hidden={{ userId, isAdmin: "true" }}
      label="Make instance admin"
      pending="Granting…"
    />
  );
}
