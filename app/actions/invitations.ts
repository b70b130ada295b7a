"use server";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { serverAction } from "@/lib/http/server-action";
import { acceptInvitation } from "@/lib/invitations/accept-invitation";
import { createInvitation, createInvitationInput } from "@/lib/invitations/create-invitation";
import { revokeInvitation, revokeInvitationInput } from "@/lib/invitations/revoke-invitation";
import { memberRolesOf } from "@/lib/access/member-roles";
import { describeRoles } from "@/lib/members/member-roles";

/** The link is in the answer once; the server keeps only its hash. */
export const createInvitationAction = serverAction(createInvitationInput, async (input, { db, actor }) => {
  const { token, invitation } = await createInvitation(db, actor, input);
  revalidatePath("/", "layout");
  return {
    message: `Invitation created for ${invitation.email ?? "anyone with the link"} as ${describeRoles(memberRolesOf(invitation))}. Copy the link now: it is shown only once.`,
    result: { path: `/invitations/${token}`, expiresAt: invitation.expiresAt.toISOString() },
  };
});

export const revokeInvitationAction = serverAction(revokeInvitationInput, async (input, { db, actor }) => {
  await revokeInvitation(db, actor, input);
  revalidatePath("/", "layout");
  return { message: "Invitation revoked: its link no longer works." };
});

/** Signed in: join the project the link invites to. (Without an account: new-accounts.ts.) */
export const acceptInvitationAction = serverAction(
  z.object({ token: z.string().min(1) }),
  async ({ token }, { db, actor }) => {
    const { project } = await acceptInvitation(db, actor, token);
    revalidatePath("/", "layout");
    return { message: `You joined ${project.name}.`, result: { slug: project.slug } };
  },
);
