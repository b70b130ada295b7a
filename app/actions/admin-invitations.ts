"use server";
import { revalidatePath } from "next/cache";
import { getDb } from "@/lib/db/client";
import { acceptInvitation } from "@/lib/invitations/accept-invitation";
import { acceptInvitationWithAccount } from "@/lib/invitations/accept-invitation-with-account";
import { createInvitation, createInvitationInput } from "@/lib/invitations/create-invitation";
import { revokeInvitation, revokeInvitationInput } from "@/lib/invitations/revoke-invitation";
import { newAccountInput } from "@/lib/users/user-input";
import { describeRoles } from "@/lib/members/member-roles";
import { consoleActor, requestIp, runForm } from "./admin-form";
import type { FormState } from "./admin-form-state";

/** The link is in the answer once; the server keeps only its hash. */
export async function createInvitationAction(
  _prev: FormState,
  data: FormData,
): Promise<FormState<{ path: string; expiresAt: string }>> {
  return runForm(data, async (values) => {
    const { token, invitation } = await createInvitation(
      getDb(),
      await consoleActor(),
      createInvitationInput.parse(values),
    );
    revalidatePath("/", "layout");
    return {
      message: `Invitation created for ${invitation.email ?? "anyone with the link"} as ${describeRoles(invitation)}. Copy the link now: it is shown only once.`,
      result: { path: `/invitations/${token}`, expiresAt: invitation.expiresAt.toISOString() },
    };
  });
}

export async function revokeInvitationAction(_prev: FormState, data: FormData): Promise<FormState> {
  return runForm(data, async (values) => {
    await revokeInvitation(getDb(), await consoleActor(), revokeInvitationInput.parse(values));
    revalidatePath("/", "layout");
    return { message: "Invitation revoked: its link no longer works." };
  });
}

export async function acceptInvitationAction(
  _prev: FormState,
  data: FormData,
): Promise<FormState<{ slug: string }>> {
  return runForm(data, async (values) => {
    const { project } = await acceptInvitation(getDb(), await consoleActor(), values.token ?? "");
    revalidatePath("/", "layout");
    return { message: `You joined ${project.name}.`, result: { slug: project.slug } };
  });
}

/** No account yet: create one through the invitation (allowed even when self sign-up is off). */
export async function acceptInvitationWithAccountAction(
  _prev: FormState,
  data: FormData,
): Promise<FormState<{ slug: string; email: string }>> {
  return runForm(data, async (values) => {
    const { project, email } = await acceptInvitationWithAccount(
      getDb(),
      values.token ?? "",
      newAccountInput.parse(values),
      {
        ip: await requestIp(),
      },
    );
    return {
      message: `Account created; you joined ${project.name}. Signing you in…`,
      result: { slug: project.slug, email },
    };
  });
}
