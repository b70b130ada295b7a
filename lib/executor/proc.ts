import { readFileSync, readdirSync } from "node:fs";

/** What /proc says of one process. */
export type ProcInfo = { pid: number; comm: string; state: string; pgid: number };

/** null when the process is gone. Zombies are reported (state "Z"): they run nothing. */
export function procInfo(pid: number): ProcInfo | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // pid (comm) state ppid pgrp ...; comm may hold spaces and parentheses.
    const close = stat.lastIndexOf(")");
    const comm = stat.slice(stat.indexOf("(") + 1, close);
    const fields = stat.slice(close + 2).split(" ");
    return { pid, comm, state: fields[0] ?? "?", pgid: Number(fields[2]) };
  } catch {
    return null;
  }
}

/** Processes that are alive (not gone, not zombies). */
export const isRunning = (info: ProcInfo | null): info is ProcInfo => info !== null && info.state !== "Z";

export function allPids(): number[] {
  return readdirSync("/proc")
    .filter((name) => /^\d+$/.test(name))
    .map(Number);
}

/** The value of variable `name` in a process's environment; null when unset or unreadable. */
export function environValue(pid: number, name: string): string | null {
  try {
    const entries = readFileSync(`/proc/${pid}/environ`, "latin1").split("\0");
    const entry = entries.find((e) => e.startsWith(`${name}=`));
    return entry === undefined ? null : entry.slice(name.length + 1);
  } catch {
    return null;
  }
}

export function describe(pids: number[]): string {
  return pids.map((pid) => `${pid} (${procInfo(pid)?.comm ?? "?"})`).join(", ");
}

export function signalPid(pid: number, signal: NodeJS.Signals) {
  try {
    process.kill(pid, signal);
  } catch {
    // gone already
  }
}
