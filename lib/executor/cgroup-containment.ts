import {
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  rmdirSync,
  statSync,
  writeFileSync,
} from "node:fs";
import path from "node:path";
import type { Containment, Leftover, RunContainment } from "./containment";
import { signalPid } from "./proc";

const RUN_DIR = /^run-(.+)$/;

/**
 * One cgroup v2 per run under `root`: a process cannot leave its cgroup
 * without privilege, so setsid and double forks stay inside; `cgroup.kill`
 * ends them all at once, and `cgroup.procs` lists only processes that still
 * exist (an orphan's zombie, waiting for a slow init, is not listed).
 */
export class CgroupContainment implements Containment {
  readonly kind = "cgroup" as const;

  constructor(private readonly root: string) {}

  forRun(runId: string): RunContainment {
    const dir = path.join(this.root, `run-${runId}`);
    mkdirSync(dir, { recursive: true });
    return runCgroup(dir);
  }

  leftovers() {
    const found: Leftover[] = [];
    for (const name of readdirSync(this.root)) {
      const runId = RUN_DIR.exec(name)?.[1];
      if (!runId) continue;
      const dir = path.join(this.root, name);
      const containment = runCgroup(dir);
      let ageMs = 0;
      try {
        ageMs = Date.now() - statSync(dir).mtimeMs;
      } catch {
        continue; // removed meanwhile
      }
      found.push({ runId, pids: containment.pids(), ageMs, containment });
    }
    return found;
  }
}

function runCgroup(dir: string): RunContainment {
  const pids = () => {
    try {
      return readFileSync(path.join(dir, "cgroup.procs"), "utf8").split("\n").filter(Boolean).map(Number);
    } catch {
      return [];
    }
  };
  return {
    adopt: (pid) => writeFileSync(path.join(dir, "cgroup.procs"), String(pid)),
    pids,
    signal: (signal) => {
      for (const pid of pids()) signalPid(pid, signal);
    },
    kill: () => {
      try {
        writeFileSync(path.join(dir, "cgroup.kill"), "1");
      } catch {
        for (const pid of pids()) signalPid(pid, "SIGKILL");
      }
    },
    release: () => {
      try {
        if (existsSync(dir)) rmdirSync(dir);
      } catch {
        // still populated: the next worker start on this host ends it
      }
    },
  };
}

/**
 * The directory where this worker may make run cgroups, or null: the cgroup
 * v2 mount, under the worker's own cgroup (systemd's `Delegate=yes` makes that
 * writable by the worker's user), in `runops-runs/`. `configured` overrides.
 */
export function findCgroupRoot(configured: string | undefined): string | null {
  const candidates: string[] = [];
  if (configured) candidates.push(configured);
  else {
    const mount = cgroup2Mount();
    const own = readFileSync("/proc/self/cgroup", "utf8")
      .split("\n")
      .find((line) => line.startsWith("0::"))
      ?.slice(3);
    if (mount && own !== undefined) candidates.push(path.join(mount, own, "runops-runs"));
  }
  for (const dir of candidates) {
    if (usable(dir)) return dir;
  }
  return null;
}

function cgroup2Mount(): string | null {
  try {
    for (const line of readFileSync("/proc/self/mounts", "utf8").split("\n")) {
      const [, mountPoint, type] = line.split(" ");
      if (type === "cgroup2" && mountPoint) return mountPoint;
    }
  } catch {
    // no /proc: no cgroups either
  }
  return null;
}

/** Can a cgroup be made here, and a process moved into it? Tried with this process's own probe. */
function usable(dir: string): boolean {
  try {
    mkdirSync(dir, { recursive: true });
    const probe = path.join(dir, `probe-${process.pid}`);
    mkdirSync(probe, { recursive: true });
    const ok = existsSync(path.join(probe, "cgroup.kill")) && existsSync(path.join(probe, "cgroup.procs"));
    rmdirSync(probe);
    return ok;
  } catch {
    return false;
  }
}
