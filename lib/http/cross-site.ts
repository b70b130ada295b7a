import { recordAudit } from "../audit/record-audit";
import { currentActor } from "../auth/current-actor";
import { getDb } from "../db/client";
import { AppError } from "../errors";
import { clientAddress } from "./client-address";
import { sameOriginVerdict } from "./same-origin";

/**
 * The guard of every cookie-authenticated mutation (route handlers and server
 * actions, through their builders): a request that does not come from the
 * console's own pages is refused with a 403 and written to the instance
 * audit log. Bearer-token requests never reach it (no cookie, no CSRF).
 */
export async function refuseCrossSite(headers: Headers, what: string): Promise<void> {
  const verdict = sameOriginVerdict(headers);
  if (verdict.ok) return;
  const actor = await currentActor().catch(() => null);
  await recordAudit(getDb(), {
    projectId: null,
    actor,
    actorLabel: "anonymous",
    action: "access.cross_site_refused",
    target: what,
    details: { reason: verdict.reason },
    ip: clientAddress(headers),
  });
  throw new AppError(
    403,
    "cross_site",
    `Refused: ${verdict.reason}. Use the console itself, or an API token.`,
  );
}
