import { z } from "zod";
import type { Actor } from "../access/actor";
import { recordAudit } from "../audit/record-audit";
import type { Db } from "../db/client";
import { notFound } from "../errors";
import { describeDevice } from "./describe-device";

export const revokeSessionInput = z.object({ sessionId: z.string().min(1).max(100) });

/**
 * "Sign out" next to one of the signed-in user's sessions on the account
 * page: that browser's next request is unauthenticated. Someone else's
 * session is not found (its id tells nothing to the caller).
 */
export async function revokeSession(db: Db, actor: Actor, input: z.input<typeof revokeSessionInput>) {
  const { sessionId } = revokeSessionInput.parse(input);
  const session = await db.session.findUnique({ where: { id: sessionId } });
  if (!session || session.userId !== actor.userId) throw notFound("session");
  if (session.revokedAt) return { ...session, current: session.id === actor.sessionId };
  const revoked = await db.session.update({ where: { id: session.id }, data: { revokedAt: new Date() } });
  await recordAudit(db, {
    projectId: null,
    actor,
    action: "user.session_revoked",
    target: actor.email,
    details: { device: describeDevice(session.userAgent), ip: session.ip, startedAt: session.createdAt },
  });
  return { ...revoked, current: session.id === actor.sessionId };
}
