"use server";
import { revalidatePath } from "next/cache";
import { getDb } from "@/lib/db/client";
import { changePassword, changePasswordInput } from "@/lib/users/change-password";
import { updateProfile, updateProfileInput } from "@/lib/users/update-profile";
import { consoleActor, runForm } from "./admin-form";
import type { FormState } from "./admin-form-state";

export async function changePasswordAction(_prev: FormState, data: FormData): Promise<FormState> {
  return runForm(data, async (values) => {
    await changePassword(getDb(), await consoleActor(), changePasswordInput.parse(values));
    return { message: "Your password was changed. Use it the next time you sign in." };
  });
}

export async function updateProfileAction(_prev: FormState, data: FormData): Promise<FormState> {
  return runForm(data, async (values) => {
    await updateProfile(getDb(), await consoleActor(), updateProfileInput.parse(values));
    revalidatePath("/", "layout");
    return { message: "Your name was saved." };
  });
}
