import { z } from "zod";
import type { Actor } from "../access/actor";
import type { Db } from "../db/client";
import { SshError, connectSsh } from "../ssh/connect";
import { sshTargetSchema, storedSshTarget } from "../ssh/target";
import { getProjectKeys } from "../ssh-keys/get-project-keys";
import { projectPrivateKeys } from "../ssh-keys/project-key-store";

export const probeSshTargetInput = z.object({ projectId: z.string().min(1), targetHost: sshTargetSchema });

export type SshProbe = {
  /** user@host:port */
  target: string;
  /** The host key the host offered, to confirm and pin; null when it did not get that far. */
  fingerprint: string | null;
  /** The host let the project's key in. */
  keyAccepted: boolean;
  error: string | null;
};

/**
 * Connects to an SSH host before it is trusted, to show an admin the host
 * key it offers (to compare with `ssh-keygen -l -f /etc/ssh/ssh_host_ed25519_key.pub`
 * on the host) and whether the project's key is let in. Nothing is stored
 * but the project's key pair, made on first use.
 */
export async function probeSshTarget(
  db: Db,
  actor: Actor,
  input: z.input<typeof probeSshTargetInput>,
): Promise<SshProbe> {
  const { projectId, targetHost } = probeSshTargetInput.parse(input);
  await getProjectKeys(db, actor, projectId); // admins only; makes the key on first use
  try {
    const { client, offered } = await connectSsh(storedSshTarget(targetHost), {
      privateKeys: await projectPrivateKeys(db, projectId),
      hostKey: null,
    });
    client.end();
    return { target: targetHost, fingerprint: offered, keyAccepted: true, error: null };
  } catch (error) {
    if (!(error instanceof SshError)) throw error;
    return { target: targetHost, fingerprint: error.offered, keyAccepted: false, error: error.message };
  }
}
