import { z } from "zod";
import type { Actor } from "../access/actor";
import { recordAudit } from "../audit/record-audit";
import type { Db } from "../db/client";
import { notFound } from "../errors";
import { nameSchema } from "./user-input";

export const updateProfileInput = z.object({ name: nameSchema });

/** The signed-in user changes the name others see (runs, members, audit labels use the email). */
export async function updateProfile(db: Db, actor: Actor, input: z.input<typeof updateProfileInput>) {
  const { name } = updateProfileInput.parse(input);
  const user = await db.user.findUnique({ where: { id: actor.userId } });
  if (!user) throw notFound("user");
  if (user.name === name) return user;
  const updated = await db.user.update({ where: { id: user.id }, data: { name } });
  await recordAudit(db, {
    projectId: null,
    actor,
    action: "user.renamed",
    target: user.email,
    details: { from: user.name, to: name },
  });
  return updated;
}
