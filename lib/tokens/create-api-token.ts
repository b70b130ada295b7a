import { z } from "zod";
import type { Actor } from "../access/actor";
import { recordAudit } from "../audit/record-audit";
import type { Db } from "../db/client";
import { newId } from "../ids";
import { generateTokenSecret, hashTokenSecret } from "./token-secret";

export const createTokenInput = z.object({
  name: z.string().trim().min(1, "Give the token a name").max(100),
  /** Days until it expires; 0 means never. */
  expiresInDays: z.coerce.number().int().min(0).max(3650).default(90),
});

/** Creates a token for the actor. The returned secret is shown once and never stored. */
export async function createApiToken(db: Db, actor: Actor, input: z.input<typeof createTokenInput>) {
  const { name, expiresInDays } = createTokenInput.parse(input);
  const secret = generateTokenSecret();
  const record = await db.apiToken.create({
    data: {
      id: newId(),
      userId: actor.userId,
      name,
      tokenHash: hashTokenSecret(secret),
      prefix: secret.slice(0, 8),
      expiresAt: expiresInDays === 0 ? null : new Date(Date.now() + expiresInDays * 86_400_000),
    },
  });
  await recordAudit(db, {
    projectId: null,
    actor,
    action: "token.created",
    target: name,
    details: { tokenId: record.id, expiresAt: record.expiresAt?.toISOString() ?? null },
  });
  return { secret, token: record };
}
