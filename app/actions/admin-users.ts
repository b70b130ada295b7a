"use server";
import { revalidatePath } from "next/cache";
import { getDb } from "@/lib/db/client";
import { setInstanceAdmin, setInstanceAdminInput } from "@/lib/users/set-instance-admin";
import { consoleActor, runForm } from "./admin-form";
import type { FormState } from "./admin-form-state";

/** Grants (`isAdmin=true`) or revokes instance administration; instance admins only. */
export async function setInstanceAdminAction(_prev: FormState, data: FormData): Promise<FormState> {
  return runForm(data, async (values) => {
    const user = await setInstanceAdmin(getDb(), await consoleActor(), setInstanceAdminInput.parse(values));
    revalidatePath("/", "layout");
    return {
      message: user.isAdmin
        ? `${user.email} is an instance admin.`
        : `${user.email} is no longer an instance admin.`,
    };
  });
}
