import type { Db } from "../db/client";
import { AppError } from "../errors";
import { hashInvitationToken, looksLikeInvitationToken } from "./invitation-token";

export type InvitationState = "valid" | "expired" | "used";

/** The invitation a link's token names, with its project, or null (no such link). */
export async function findInvitation(db: Pick<Db, "invitation">, token: string) {
  if (!looksLikeInvitationToken(token)) return null;
  const invitation = await db.invitation.findUnique({
    where: { tokenHash: hashInvitationToken(token) },
    include: { project: { select: { id: true, slug: true, name: true } } },
  });
  if (!invitation) return null;
  const state: InvitationState = invitation.acceptedAt
    ? "used"
    : invitation.expiresAt <= new Date()
      ? "expired"
      : "valid";
  return { ...invitation, state };
}

/** `findInvitation`, refusing links that do not exist, were used, or expired. */
export async function findUsableInvitation(db: Pick<Db, "invitation">, token: string) {
  const invitation = await findInvitation(db, token);
  if (!invitation) throw new AppError(404, "not_found", "This invitation link is not valid");
  if (invitation.state === "used") {
    throw new AppError(409, "invitation_used", "This invitation link has already been used");
  }
  if (invitation.state === "expired") {
    throw new AppError(
      409,
      "invitation_expired",
      "This invitation link has expired: ask a project admin for a new one",
    );
  }
  return invitation;
}
