"use server";
import { revalidatePath } from "next/cache";
import { serverAction } from "@/lib/http/server-action";
import { revokeSession, revokeSessionInput } from "@/lib/sessions/revoke-session";

/** "Sign out" next to a session on the account page: that session ends now, wherever it is. */
export const signOutSessionAction = serverAction(revokeSessionInput, async (input, { db, actor }) => {
  const session = await revokeSession(db, actor, input);
  revalidatePath("/account");
  return { message: "That session is signed out.", result: { current: session.current } };
});
