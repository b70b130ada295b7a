import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { allPids, isRunning, procInfo } from "../../lib/executor/proc";

export type OsUser = { name: string; uid: number; gid: number };

/** The system user the run-as tests execute commands as. */
export const RUN_AS_USER = "runops-run";

function lookUp(name: string): OsUser | null {
  for (const line of readFileSync("/etc/passwd", "utf8").split("\n")) {
    const [user, , uid, gid] = line.split(":");
    if (user === name && uid !== undefined && gid !== undefined) {
      return { name, uid: Number(uid), gid: Number(gid) };
    }
  }
  return null;
}

/**
 * The system user `runops-run` (no home, no login shell), created with
 * useradd when absent. Idempotent, and safe when test files run it at the
 * same time: when a concurrent useradd holds the lock (exit 10) or created
 * the user first (exit 9), it looks again. Needs root.
 */
export async function ensureRunAsUser(name = RUN_AS_USER): Promise<OsUser> {
  return ensureUser(name, [
    "--system",
    "--user-group",
    "--no-create-home",
    "--home-dir",
    "/nonexistent",
    "--shell",
    "/usr/sbin/nologin",
  ]);
}

/** The login user of the test sshd (tests/support/sshd.ts). */
export const SSH_LOGIN_USER = "runops-ssh";

/**
 * A system user that can log in over SSH with a key: `/bin/sh` as its shell
 * unless told (dash on Debian: the remote wrapper must not need bash), a home
 * of its own, and the password field `*` rather than useradd's `!`, which
 * sshd without PAM takes for a locked account and refuses even for public
 * keys. Needs root.
 */
export async function ensureLoginUser(
  name = SSH_LOGIN_USER,
  shell = "/bin/sh",
): Promise<OsUser & { home: string }> {
  const home = `/home/${name}`;
  const user = await ensureUser(name, [
    "--system",
    "--user-group",
    "--create-home",
    "--home-dir",
    home,
    "--shell",
    shell,
    "--password",
    "*",
  ]);
  return { ...user, home };
}

async function ensureUser(name: string, useraddArgs: string[]): Promise<OsUser> {
  let lastError = "";
  for (let attempt = 0; attempt < 50; attempt++) {
    const found = lookUp(name);
    if (found) return found;
    try {
      execFileSync("useradd", [...useraddArgs, name], { stdio: "pipe" });
    } catch (error) {
      lastError = String((error as { stderr?: Buffer }).stderr ?? error);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  const found = lookUp(name);
  if (!found) throw new Error(`could not create the OS user ${name}: ${lastError}`);
  return found;
}

/** Pids of running processes whose real uid is `uid`. */
export function processesOfUser(uid: number): number[] {
  return allPids().filter((pid) => {
    if (!isRunning(procInfo(pid))) return false;
    try {
      const line = readFileSync(`/proc/${pid}/status`, "utf8")
        .split("\n")
        .find((l) => l.startsWith("Uid:"));
      return Number(line?.split(/\s+/)[1]) === uid;
    } catch {
      return false;
    }
  });
}
