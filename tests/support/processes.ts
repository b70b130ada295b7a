import { readFileSync } from "node:fs";
import { allPids, isRunning, procInfo } from "../../lib/executor/proc";

/** Pids of running (not zombie) processes whose command line contains `needle`. */
export function processesMatching(needle: string): number[] {
  return allPids().filter((pid) => {
    if (pid === process.pid || !isRunning(procInfo(pid))) return false;
    try {
      return readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ").includes(needle);
    } catch {
      return false;
    }
  });
}

/** Pids of running processes of the process group. */
export function processesOfGroup(pgid: number): number[] {
  return allPids().filter((pid) => {
    const info = procInfo(pid);
    return isRunning(info) && info.pgid === pgid;
  });
}
