"use server";
import { revalidatePath } from "next/cache";
import { serverAction } from "@/lib/http/server-action";
import { setInstanceAdmin, setInstanceAdminInput } from "@/lib/users/set-instance-admin";

/** Grants (`isAdmin=true`) or revokes instance administration; instance admins only. */
export const setInstanceAdminAction = serverAction(setInstanceAdminInput, async (input, { db, actor }) => {
  const user = await setInstanceAdmin(db, actor, input);
  revalidatePath("/", "layout");
  return {
    message: user.isAdmin
      ? `${user.email} is an instance admin.`
      : `${user.email} is no longer an instance admin.`,
  };
});
