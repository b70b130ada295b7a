"use server";
import { revalidatePath } from "next/cache";
import { serverAction } from "@/lib/http/server-action";
import { changePassword, changePasswordInput } from "@/lib/users/change-password";
import { updateProfile, updateProfileInput } from "@/lib/users/update-profile";

/** Self-service: the signed-in user's own account. */
export const changePasswordAction = serverAction(changePasswordInput, async (input, { db, actor }) => {
  await changePassword(db, actor, input);
  return { message: "Your password was changed. Use it the next time you sign in." };
});

export const updateProfileAction = serverAction(updateProfileInput, async (input, { db, actor }) => {
  await updateProfile(db, actor, input);
  revalidatePath("/", "layout");
  return { message: "Your name was saved." };
});
