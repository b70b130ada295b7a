import { hostname } from "node:os";
import type { Db } from "../db/client";
import { type Containment, waitEmpty } from "../executor/containment";
import { describe, isRunning, procInfo } from "../executor/proc";
import type { Logger } from "../log/logger";
import { isTerminal } from "../runs/run-states";

/**
 * Before a worker claims anything: ends what runs of this installation left
 * running on this host, when the run has ended or its worker is gone (a worker
 * killed with -9 cannot end its commands itself). Processes of runs this
 * database does not know are left alone: they belong to another installation.
 */
export async function endLeftovers(db: Db, containment: Containment, log: Logger): Promise<string[]> {
  const ended: string[] = [];
  for (const leftover of containment.leftovers()) {
    const run = await db.run.findUnique({
      where: { id: leftover.runId },
      select: { state: true, workerId: true },
    });
    if (!run) {
      // Another installation's run, or one whose database is gone: only an empty cgroup that
      // has long been empty is tidied away (a new one may be about to receive its shell).
      if (leftover.pids.length === 0 && leftover.ageMs > 60_000) leftover.containment.release();
      continue;
    }
    if (!isTerminal(run.state) && run.workerId) {
      const worker = await db.worker.findUnique({ where: { id: run.workerId } });
      const holderAlive =
        worker && !worker.stoppedAt && (worker.host !== hostname() || isRunning(procInfo(worker.pid)));
      if (holderAlive) continue;
    }
    if (leftover.pids.length > 0) {
      log.warn(
        { runId: leftover.runId, pids: leftover.pids },
        `ending what run ${leftover.runId} left running: ${describe(leftover.pids)}`,
      );
      leftover.containment.signal("SIGTERM");
      if (!(await waitEmpty(leftover.containment, 500))) {
        leftover.containment.kill();
        await waitEmpty(leftover.containment, 1000);
      }
      ended.push(leftover.runId);
    }
    leftover.containment.release();
  }
  return ended;
}
