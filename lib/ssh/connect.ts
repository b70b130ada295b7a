import { Client } from "ssh2";
import { sshFingerprint } from "./fingerprint";
import { type SshTarget, formatSshTarget } from "./target";

export type SshErrorKind = "host-key-changed" | "unreachable" | "auth-refused" | "failed";

/** Why runops could not reach an SSH target, worded for the run's log and the deployment view. */
export class SshError extends Error {
  constructor(
    readonly kind: SshErrorKind,
    message: string,
    /** The host key the server offered, when it got that far. */
    readonly offered: string | null = null,
  ) {
    super(message);
    this.name = "SshError";
  }
}

export type ConnectOptions = {
  /** OpenSSH private keys, offered in this order. */
  privateKeys: string[];
  /** The pinned host key (SHA256:…); null accepts any key (only to show it to an admin). */
  hostKey: string | null;
  timeoutMs?: number;
};

/** Keepalives notice a connection that died without a word (a cable, not a closed socket). */
const KEEPALIVE_MS = 5000;
const KEEPALIVE_COUNT = 3;

/**
 * Opens an SSH connection with the project's keys, refusing any host key but
 * the pinned one. Resolves with the client and the offered host key; rejects
 * with an SshError whose message names the target and what to do.
 */
export function connectSsh(
  target: SshTarget,
  opts: ConnectOptions,
): Promise<{ client: Client; offered: string }> {
  const where = formatSshTarget(target);
  const client = new Client();
  let offered: string | null = null;
  return new Promise((resolve, reject) => {
    let settled = false;
    const fail = (error: SshError) => {
      if (settled) return;
      settled = true;
      client.end();
      reject(error);
    };
    client.once("ready", () => {
      settled = true;
      resolve({ client, offered: offered ?? "" });
    });
    client.on("error", (error: Error & { level?: string; code?: string }) => {
      if (offered !== null && opts.hostKey !== null && offered !== opts.hostKey) {
        return fail(
          new SshError(
            "host-key-changed",
            `the host key of ${where} changed: pinned ${opts.hostKey}, offered ${offered}; ` +
              "connection refused (an admin can check and pin the new key in the environment's settings)",
            offered,
          ),
        );
      }
      if (error.level === "client-authentication") {
        return fail(
          new SshError(
            "auth-refused",
            `${where} refused the project's SSH key: add the project's public key to ~${target.user}/.ssh/authorized_keys on ${target.host}`,
            offered,
          ),
        );
      }
      if (error.level === "client-timeout") {
        return fail(
          new SshError("unreachable", `${where} did not answer within ${timeoutOf(opts)} s`, offered),
        );
      }
      if (error.level === "client-socket" || error.code) {
        const code = error.code ? ` (${error.code})` : "";
        return fail(new SshError("unreachable", `cannot reach ${where}${code}: ${error.message}`, offered));
      }
      fail(new SshError("failed", `SSH to ${where} failed: ${error.message}`, offered));
    });
    client.once("close", () => fail(new SshError("unreachable", `${where} closed the connection`, offered)));
    const keys = opts.privateKeys;
    client.connect({
      host: target.host,
      port: target.port,
      username: target.user,
      readyTimeout: opts.timeoutMs ?? 10_000,
      keepaliveInterval: KEEPALIVE_MS,
      keepaliveCountMax: KEEPALIVE_COUNT,
      hostVerifier: (key: Buffer) => {
        offered = sshFingerprint(key);
        return opts.hostKey === null || offered === opts.hostKey;
      },
      // Every project key, then nothing: no password, no agent, no keyboard prompt.
      authHandler: keys.map((key) => ({ type: "publickey" as const, username: target.user, key })),
    });
  });
}

function timeoutOf(opts: ConnectOptions): number {
  return Math.round((opts.timeoutMs ?? 10_000) / 1000);
}
