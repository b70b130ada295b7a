import { readFileSync } from "node:fs";

/** The OS user commands run as (RUNOPS_RUN_AS). */
export type RunAsUser = { name: string; uid: number; gid: number; home: string };

/** Looks the user up in /etc/passwd (a name or a numeric uid); throws a clear error when absent. */
export function resolveRunAs(spec: string): RunAsUser {
  for (const line of readFileSync("/etc/passwd", "utf8").split("\n")) {
    const [name, , uid, gid, , home] = line.split(":");
    if (!name || uid === undefined || gid === undefined) continue;
    if (name === spec || uid === spec) {
      return { name, uid: Number(uid), gid: Number(gid), home: home || "/" };
    }
  }
  throw new Error(`RUNOPS_RUN_AS: no user ${JSON.stringify(spec)} in /etc/passwd`);
}
