import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { ServerEnv } from "../env";

const KEY_BYTES = 32;

/**
 * The key that seals the projects' SSH private keys (decision 0011): never in
 * the database, so a copy of the database alone opens no host. From
 * RUNOPS_SECRET_KEY (base64), else the file RUNOPS_SECRET_KEY_FILE (default
 * `secret.key` in the data directory), made on first use when neither exists.
 * Every console and worker of one installation must use the same key.
 */
export function serverKey(
  env: Pick<ServerEnv, "RUNOPS_SECRET_KEY" | "RUNOPS_SECRET_KEY_FILE" | "RUNOPS_DATA_DIR">,
): Buffer {
  if (env.RUNOPS_SECRET_KEY) return decodeKey(env.RUNOPS_SECRET_KEY, "RUNOPS_SECRET_KEY");
  const file = path.resolve(
    /*turbopackIgnore: true*/ env.RUNOPS_SECRET_KEY_FILE ?? path.join(env.RUNOPS_DATA_DIR, "secret.key"),
  );
  try {
    return decodeKey(readFileSync(file, "utf8"), file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  // The data directory may not exist yet (a worker or a test before the console's first start).
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  try {
    // "wx": of two processes making it at once, one wins and the other reads the winner's key.
    writeFileSync(file, `${randomBytes(KEY_BYTES).toString("base64")}\n`, { flag: "wx", mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  }
  return decodeKey(readFileSync(file, "utf8"), file);
}

function decodeKey(text: string, from: string): Buffer {
  const key = Buffer.from(text.trim(), "base64");
  if (key.length !== KEY_BYTES) {
    throw new Error(`${from}: the server key must be ${KEY_BYTES} bytes in base64 (openssl rand -base64 32)`);
  }
  return key;
}
