"use server";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { serverEnv } from "@/lib/env";
import { publicAction } from "@/lib/http/server-action";
import { acceptInvitationWithAccount } from "@/lib/invitations/accept-invitation-with-account";
import { createFirstAdmin } from "@/lib/users/create-first-admin";
import { signUp } from "@/lib/users/sign-up";
import { newAccountInput } from "@/lib/users/user-input";

/** Accounts made by people not signed in yet: the first admin, self sign-up, an invitation's new account. */

/** First start: the first account, instance admin. Refused once any user exists. */
export const setupAction = publicAction(newAccountInput, async (input, { db, ip }) => {
  const user = await createFirstAdmin(db, input, { ip });
  revalidatePath("/", "layout");
  return { message: "Your administrator account is ready: signing you in…", result: { email: user.email } };
});

/** Self sign-up, only when RUNOPS_ALLOW_SIGNUP=1. */
export const signUpAction = publicAction(newAccountInput, async (input, { db, ip }) => {
  const user = await signUp(db, input, { allowed: serverEnv().RUNOPS_ALLOW_SIGNUP === "1", ip });
  return { message: "Your account is ready: signing you in…", result: { email: user.email } };
});

/** No account yet: create one through the invitation (allowed even when self sign-up is off). */
export const acceptInvitationWithAccountAction = publicAction(
  z.object({ token: z.string().min(1) }).and(newAccountInput),
  async (input, { db, ip }) => {
    const { project, email } = await acceptInvitationWithAccount(db, input.token, input, { ip });
    return {
      message: `Account created; you joined ${project.name}. Signing you in…`,
      result: { slug: project.slug, email },
    };
  },
);
