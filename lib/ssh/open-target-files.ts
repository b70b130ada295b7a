import type { TargetFiles } from "../config/target-files";
import type { Db } from "../db/client";
import { projectPrivateKeys } from "../ssh-keys/project-key-store";
import { SshError, connectSsh } from "./connect";
import { sftpFiles } from "./sftp-files";
import { storedSshTarget } from "./target";

/**
 * An SSH environment's files over SFTP, with the project's keys and only the
 * pinned host key. `read` runs with them; the connection is closed after.
 */
export async function withTargetFiles<T>(
  db: Db,
  env: { projectId: string; targetHost: string | null; targetHostKey: string | null },
  read: (files: TargetFiles) => Promise<T>,
): Promise<T> {
  const target = storedSshTarget(env.targetHost ?? "");
  if (!env.targetHostKey) {
    throw new SshError(
      "failed",
      `the host key of ${env.targetHost} is not pinned: confirm it in the environment's settings`,
    );
  }
  const { client } = await connectSsh(target, {
    privateKeys: await projectPrivateKeys(db, env.projectId),
    hostKey: env.targetHostKey,
  });
  try {
    const files = await sftpFiles(client).catch((error: Error) => {
      throw new SshError("failed", `SFTP on ${env.targetHost} is not available: ${error.message}`);
    });
    try {
      return await read(files);
    } finally {
      files.end();
    }
  } finally {
    client.end();
  }
}
