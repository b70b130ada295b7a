"use server";
import { revalidatePath } from "next/cache";
import { getDb } from "@/lib/db/client";
import { serverEnv } from "@/lib/env";
import { signUp } from "@/lib/users/sign-up";
import { createFirstAdmin } from "@/lib/users/create-first-admin";
import { newAccountInput } from "@/lib/users/user-input";
import { requestIp, runForm } from "./admin-form";
import type { FormState } from "./admin-form-state";

/** First start: the first account, instance admin. Refused once any user exists. */
export async function setupAction(_prev: FormState, data: FormData): Promise<FormState<{ email: string }>> {
  return runForm(data, async (values) => {
    const user = await createFirstAdmin(getDb(), newAccountInput.parse(values), { ip: await requestIp() });
    revalidatePath("/", "layout");
    return { message: "Your administrator account is ready: signing you in…", result: { email: user.email } };
  });
}

/** Self sign-up, only when RUNOPS_ALLOW_SIGNUP=1. */
export async function signUpAction(_prev: FormState, data: FormData): Promise<FormState<{ email: string }>> {
  return runForm(data, async (values) => {
    const user = await signUp(getDb(), newAccountInput.parse(values), {
      allowed: serverEnv().RUNOPS_ALLOW_SIGNUP === "1",
      ip: await requestIp(),
    });
    return { message: "Your account is ready: signing you in…", result: { email: user.email } };
  });
}
