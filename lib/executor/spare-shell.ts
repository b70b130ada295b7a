import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import type { Containment, RunContainment } from "./containment";
import type { RunAsUser } from "./run-as";

/**
 * The spare reads its program from stdin until the worker closes it, then runs
 * it with stdin from /dev/null. Nothing (or the worker gone: EOF) means exit.
 */
const WAIT_FOR_PROGRAM = 's=$(cat) && [ -n "$s" ] || exit 126; exec /bin/sh -c "$s" </dev/null';

/** How long after a spare was taken the next one is made: the run's first output goes first. */
const REFILL_DELAY_MS = 20;

/** A waiting shell and the cgroup it is in (which becomes its run's containment). */
export type Spare = { child: ChildProcessWithoutNullStreams; cgroup: RunContainment };

/**
 * One shell made ahead of the next run, already in a cgroup of its own and
 * waiting: forking the worker (hundreds of MB) and moving a process into a
 * cgroup cost ~25 ms, which a run then does not wait for. A spare knows
 * nothing of its run until it is handed its program: the run's directory,
 * its exact environment (`env -i`, RUNOPS_RUN_ID included) and command.
 * Only where cgroups contain runs: the process-group fallback needs the run's
 * mark on every process from the start.
 */
export class SpareShells {
  private next: Promise<Spare | null> | null = null;
  private made = 0;
  private refill: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(
    private readonly containment: Containment,
    private readonly runAs: RunAsUser | null,
  ) {}

  start() {
    if (this.containment.forSpare) this.next = this.make();
  }

  /**
   * A waiting shell in a cgroup of its own, or null (none ready: spawn as usual).
   * The run then writes its program (`spareProgram`) to the shell's stdin and closes it.
   */
  async take(): Promise<Spare | null> {
    const pending = this.next;
    this.next = null;
    this.scheduleRefill();
    const spare = pending ? await pending : null;
    if (!spare || spare.child.exitCode !== null || spare.child.signalCode !== null) {
      spare?.cgroup.release();
      return null;
    }
    return spare;
  }

  async close() {
    this.closed = true;
    if (this.refill) clearTimeout(this.refill);
    const spare = await this.next;
    this.next = null;
    if (spare) {
      spare.cgroup.kill();
      await new Promise((r) => (spare.child.exitCode !== null ? r(null) : spare.child.once("exit", r)));
      spare.cgroup.release();
    }
  }

  private scheduleRefill() {
    if (this.closed || this.refill || !this.containment.forSpare) return;
    this.refill = setTimeout(() => {
      this.refill = null;
      if (!this.closed && !this.next) this.next = this.make();
    }, REFILL_DELAY_MS);
  }

  private async make(): Promise<Spare | null> {
    const forSpare = this.containment.forSpare?.bind(this.containment);
    if (!forSpare) return null;
    const cgroup = forSpare(`${process.pid}-${++this.made}`);
    const asOther = this.runAs !== null && this.runAs.uid !== process.getuid?.();
    try {
      const child = spawn("/bin/sh", ["-c", WAIT_FOR_PROGRAM], {
        cwd: "/",
        // Nothing of the worker's environment (Next.js types NODE_ENV as required).
        env: {} as NodeJS.ProcessEnv,
        detached: true, // setsid: a session and process group of its own
        stdio: ["pipe", "pipe", "pipe"],
        ...(asOther && this.runAs ? { uid: this.runAs.uid, gid: this.runAs.gid } : {}),
      });
      await new Promise<void>((resolve, reject) => {
        child.once("spawn", resolve);
        child.once("error", reject);
      });
      if (child.pid === undefined) throw new Error("no pid");
      cgroup.adopt(child.pid);
      return { child, cgroup };
    } catch {
      cgroup.kill();
      cgroup.release();
      return null;
    }
  }
}

const quote = (value: string) => `'${value.replaceAll("'", "'\\''")}'`;

/** What a spare runs: in `cwd`, with exactly `env`, `/bin/sh -c command`. */
export function spareProgram(cwd: string, env: Record<string, string>, command: string): string {
  const vars = Object.entries(env).map(([name, value]) => quote(`${name}=${value}`));
  return `cd -- ${quote(cwd)} || exit 126\nexec /usr/bin/env -i ${vars.join(" ")} /bin/sh -c ${quote(command)}\n`;
}
