"use server";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { requireActor } from "@/lib/auth/current-actor";
import { getDb } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { createApiToken, createTokenInput } from "@/lib/tokens/create-api-token";
import { revokeApiToken } from "@/lib/tokens/revoke-api-token";
import { type ActionResult, guarded } from "./guarded";

export type CreateTokenState =
  | { status: "idle" }
  | { status: "created"; secret: string; name: string }
  | {
      status: "invalid";
      fieldErrors: Record<string, string[] | undefined>;
      values: { name: string; expiresInDays: string };
    }
  | { status: "error"; message: string; values: { name: string; expiresInDays: string } };

/** Creates an API token for the signed-in user; the secret is returned once, for display. */
export async function createTokenAction(_prev: CreateTokenState, form: FormData): Promise<CreateTokenState> {
  const values = {
    name: String(form.get("name") ?? ""),
    expiresInDays: String(form.get("expiresInDays") ?? "90"),
  };
  const parsed = createTokenInput.safeParse(values);
  if (!parsed.success)
    return { status: "invalid", fieldErrors: z.flattenError(parsed.error).fieldErrors, values };
  try {
    const actor = await requireActor("console");
    const { secret, token } = await createApiToken(getDb(), actor, parsed.data);
    revalidatePath("/account/tokens");
    return { status: "created", secret, name: token.name };
  } catch (error) {
    if (error instanceof AppError) return { status: "error", message: error.message, values };
    throw error;
  }
}

export async function revokeTokenAction(tokenId: unknown): Promise<ActionResult<{ id: string }>> {
  return guarded(async () => {
    const actor = await requireActor("console");
    const token = await revokeApiToken(getDb(), actor, z.string().min(1).parse(tokenId));
    revalidatePath("/account/tokens");
    return { id: token.id };
  });
}
