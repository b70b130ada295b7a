import { createHash } from "node:crypto";

/** A key's fingerprint as `ssh-keygen -l` shows it: SHA256 and unpadded base64 of the key's wire form. */
export function sshFingerprint(wireKey: Buffer): string {
  return `SHA256:${createHash("sha256").update(wireKey).digest("base64").replace(/=+$/, "")}`;
}

/** The fingerprint of an OpenSSH public key line (`ssh-ed25519 AAAA… comment`). */
export function publicKeyFingerprint(line: string): string {
  const blob = line.trim().split(/\s+/)[1] ?? "";
  return sshFingerprint(Buffer.from(blob, "base64"));
}
