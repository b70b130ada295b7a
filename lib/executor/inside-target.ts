import { realpath as localRealpath } from "node:fs/promises";
import path from "node:path";

/**
 * The application directory with every symlink resolved, when it stays inside
 * the target; otherwise a reason. `source.root` is checked for ".." when the
 * config loads; a symlink (`root: app`, where app → /) is only seen here, at
 * deploy time and again right before each spawn (it may change in between).
 */
export async function resolveInsideTarget(
  target: string,
  appDir: string,
  /** The target host's realpath (an SSH target's is SFTP's). */
  realpath: (p: string) => Promise<string> = localRealpath,
): Promise<{ ok: true; dir: string } | { ok: false; reason: string }> {
  let realTarget: string;
  let realDir: string;
  try {
    realTarget = await realpath(target);
  } catch {
    return { ok: false, reason: `the target directory ${target} does not exist` };
  }
  try {
    realDir = await realpath(appDir);
  } catch {
    return { ok: false, reason: `application directory ${appDir} does not exist` };
  }
  const rel = path.relative(realTarget, realDir);
  if (rel === "" || (!rel.startsWith("..") && !path.isAbsolute(rel))) return { ok: true, dir: realDir };
  return {
    ok: false,
    reason: `application directory ${appDir} resolves to ${realDir}, outside the target ${realTarget}`,
  };
}
