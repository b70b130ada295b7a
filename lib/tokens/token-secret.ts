import { createHash, randomBytes } from "node:crypto";

/** `rop_` + 43 url-safe characters (256 random bits). */
export function generateTokenSecret(): string {
  return `rop_${randomBytes(32).toString("base64url")}`;
}

/** Tokens are stored as their SHA-256 only: a database leak reveals no usable token. */
export function hashTokenSecret(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

export const looksLikeToken = (value: string) => /^rop_[A-Za-z0-9_-]{43}$/.test(value);
