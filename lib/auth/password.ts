import { randomBytes, scrypt, timingSafeEqual } from "node:crypto";
import { hash, verify } from "@node-rs/argon2";

/**
 * Password hashes: argon2id in the PHC string format
 * (`$argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>`), so every hash says how it
 * was made and the parameters can be raised later without breaking the
 * hashes already stored. The parameters are OWASP's first recommendation for
 * argon2id (19 MiB, 2 passes, 1 lane): about 15-50 ms here, and the work runs on
 * libuv's thread pool, so at most that many verifications hold memory at once.
 *
 * Hashes written before argon2id (`scrypt$<salt>$<key>`, N=16384, r=8, p=1)
 * still verify; `needsRehash` tells sign-in to replace them.
 */
export const ARGON2_PARAMS = { memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

const PHC_PREFIX = "$argon2id$";
/** `Algorithm.Argon2id`: the package's enum is a `const enum`, which isolated modules cannot read. */
const ARGON2ID = 2;

export async function hashPassword(password: string): Promise<string> {
  return hash(password, { algorithm: ARGON2ID, ...ARGON2_PARAMS });
}

/** True when `stored` matches `password`; a hash in no known format never matches (and does not throw). */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  if (stored.startsWith(PHC_PREFIX)) {
    try {
      return await verify(stored, password);
    } catch {
      // A malformed PHC string (hand-edited row): no password matches it.
      return false;
    }
  }
  if (stored.startsWith("scrypt$")) return verifyLegacyScrypt(password, stored);
  return false;
}

/** A stored hash made with another algorithm or other parameters than `hashPassword` uses now. */
export function needsRehash(stored: string): boolean {
  const { memoryCost: m, timeCost: t, parallelism: p } = ARGON2_PARAMS;
  return !stored.startsWith(`${PHC_PREFIX}v=19$m=${m},t=${t},p=${p}$`);
}

let dummy: Promise<string> | undefined;

/**
 * A hash of a random password with the current parameters, made once per
 * process: sign-in verifies against it when the email is unknown, so an
 * unknown email takes as long as a wrong password for a known one.
 */
export function dummyHash(): Promise<string> {
  dummy ??= hashPassword(randomBytes(32).toString("base64url"));
  return dummy;
}

const LEGACY_KEY_LENGTH = 32;

function verifyLegacyScrypt(password: string, stored: string): Promise<boolean> {
  const [, saltText, keyText] = stored.split("$");
  if (!saltText || !keyText) return Promise.resolve(false);
  const expected = Buffer.from(keyText, "base64");
  // Every legacy hash has a 32-byte key; anything else is not one.
  if (expected.length !== LEGACY_KEY_LENGTH) return Promise.resolve(false);
  return new Promise((resolve, reject) =>
    scrypt(
      password,
      Buffer.from(saltText, "base64"),
      LEGACY_KEY_LENGTH,
      { N: 16384, r: 8, p: 1 },
      (err, key) => (err ? reject(err) : resolve(timingSafeEqual(key, expected))),
    ),
  );
}
