import { open, readdir, realpath, stat } from "node:fs/promises";

/**
 * The files of an environment's target, as reading its config needs them: a
 * local directory, or one on an SSH host over SFTP (lib/ssh/sftp-files.ts).
 * Failures throw an error whose `code` is the POSIX name (ENOENT, EACCES…).
 */
export interface TargetFiles {
  readdir(dir: string): Promise<string[]>;
  /** stat, not lstat: a symlinked config file is still a config file. */
  isFile(file: string): Promise<boolean>;
  /** The text, or the size when it is over `limit`; the size is the open file's, so a swap cannot dodge it. */
  readLimited(file: string, limit: number): Promise<{ text: string } | { tooLarge: number }>;
  realpath(p: string): Promise<string>;
}

export const localFiles: TargetFiles = {
  readdir: (dir) => readdir(dir),
  isFile: async (file) => (await stat(file).catch(() => null))?.isFile() ?? false,
  async readLimited(file, limit) {
    const handle = await open(file, "r");
    try {
      const { size } = await handle.stat();
      if (size > limit) return { tooLarge: size };
      return { text: await handle.readFile({ encoding: "utf8" }) };
    } finally {
      await handle.close();
    }
  },
  realpath: (p) => realpath(p),
};
