import { RUN_MARKER, type Containment, type RunContainment } from "./containment";
import { allPids, environValue, isRunning, procInfo, signalPid } from "./proc";

/**
 * The fallback where no cgroup can be made: a run's processes are those of
 * its process group (the shell leads one) and those whose environment holds
 * the run's marker (a child that called setsid keeps its environment). A
 * process that both leaves the group and clears its environment escapes:
 * decision 0006 says why that is the limit of this mode.
 */
export class GroupContainment implements Containment {
  readonly kind = "process-group" as const;

  forRun(runId: string): RunContainment {
    let pgid: number | null = null;
    const pids = () =>
      allPids().filter((pid) => {
        if (pid === process.pid) return false;
        const info = procInfo(pid);
        if (!isRunning(info)) return false;
        return (pgid !== null && info.pgid === pgid) || environValue(pid, RUN_MARKER) === runId;
      });
    return {
      adopt: (pid) => {
        pgid ??= pid;
      },
      pids,
      signal: (signal) => {
        if (pgid !== null) signalPid(-pgid, signal);
        for (const pid of pids()) signalPid(pid, signal);
      },
      kill: () => {
        if (pgid !== null) signalPid(-pgid, "SIGKILL");
        for (const pid of pids()) signalPid(pid, "SIGKILL");
      },
      release: () => undefined,
    };
  }

  leftovers() {
    const byRun = new Map<string, number[]>();
    for (const pid of allPids()) {
      if (pid === process.pid || !isRunning(procInfo(pid))) continue;
      const runId = environValue(pid, RUN_MARKER);
      if (runId) byRun.set(runId, [...(byRun.get(runId) ?? []), pid]);
    }
    return [...byRun].map(([runId, pids]) => ({ runId, pids, ageMs: 0, containment: this.forRun(runId) }));
  }
}
