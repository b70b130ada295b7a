"use server";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { serverAction } from "@/lib/http/server-action";
import { createApiToken, createTokenInput } from "@/lib/tokens/create-api-token";
import { revokeApiToken } from "@/lib/tokens/revoke-api-token";

/** Creates an API token for the signed-in user; the secret is in the answer once, for display. */
export const createTokenAction = serverAction(createTokenInput, async (input, { db, actor }) => {
  const { secret, token } = await createApiToken(db, actor, input);
  revalidatePath("/account/tokens");
  return { message: `Token ${token.name} created.`, result: { secret, name: token.name } };
});

export const revokeTokenAction = serverAction(
  z.object({ tokenId: z.string().min(1) }),
  async ({ tokenId }, { db, actor }) => {
    const token = await revokeApiToken(db, actor, tokenId);
    revalidatePath("/account/tokens");
    return { message: "Token revoked.", result: { id: token.id } };
  },
);
