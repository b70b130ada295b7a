import type { Client, SFTPWrapper, Stats } from "ssh2";
import type { TargetFiles } from "../config/target-files";

// SFTP status codes (draft-ietf-secsh-filexfer-02) as the POSIX names readConfig words.
const CODES: Record<number, string> = { 2: "ENOENT", 3: "EACCES", 4: "EIO" };

function posixError(error: Error & { code?: unknown }): Error {
  const code = typeof error.code === "number" ? (CODES[error.code] ?? "EIO") : error.code;
  return Object.assign(new Error(error.message), { code });
}

function call<T>(run: (cb: (error: Error | null | undefined, value: T) => void) => void): Promise<T> {
  return new Promise((resolve, reject) => {
    run((error, value) => (error ? reject(posixError(error)) : resolve(value)));
  });
}

/** A target's files over an SSH connection's SFTP channel. */
export async function sftpFiles(client: Client): Promise<TargetFiles & { end(): void }> {
  const sftp = await call<SFTPWrapper>((cb) => client.sftp(cb));
  return {
    async readdir(dir) {
      const stats = await call<Stats>((cb) => sftp.stat(dir, cb));
      if (!stats.isDirectory())
        throw Object.assign(new Error(`${dir} is not a directory`), { code: "ENOTDIR" });
      const entries = await call<{ filename: string }[]>((cb) => sftp.readdir(dir, cb));
      return entries.map((e) => e.filename);
    },
    async isFile(file) {
      const stats = await call<Stats>((cb) => sftp.stat(file, cb)).catch(() => null);
      return stats?.isFile() ?? false;
    },
    async readLimited(file, limit) {
      const handle = await call<Buffer>((cb) => sftp.open(file, "r", cb));
      try {
        const { size } = await call<Stats>((cb) => sftp.fstat(handle, cb));
        if (size > limit) return { tooLarge: size };
        const data = Buffer.alloc(size);
        let at = 0;
        while (at < size) {
          const n = await call<number>((cb) => sftp.read(handle, data, at, size - at, at, cb));
          if (n === 0) break;
          at += n;
        }
        return { text: data.subarray(0, at).toString("utf8") };
      } finally {
        await call<void>((cb) => sftp.close(handle, cb)).catch(() => undefined);
      }
    },
    realpath: (p) => call<string>((cb) => sftp.realpath(p, cb)),
    end: () => sftp.end(),
  };
}
