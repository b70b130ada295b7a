import { createHash, randomBytes } from "node:crypto";

/** `inv_` + 43 url-safe characters (256 random bits): unguessable, fits in a URL path. */
export function generateInvitationToken(): string {
  return `inv_${randomBytes(32).toString("base64url")}`;
}

/** Only the SHA-256 is stored: the link is shown once, to the admin who created it. */
export function hashInvitationToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

export const looksLikeInvitationToken = (value: string) => /^inv_[A-Za-z0-9_-]{43}$/.test(value);
