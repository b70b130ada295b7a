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
import { RUN_MARKER, type Containment, type Leftover, type RunContainment } from "./containment";
import { environValue, signalPid } from "./proc";

const RUN_DIR = /^run-(.+)$/;
const SPARE_DIR = /^spare-/;
/** A spare cgroup this old and empty belonged to a worker that is gone (its shell exits with it). */
const STALE_SPARE_MS = 60_000;

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

  /**
   * A cgroup for a shell made before its run is known: it keeps that name
   * when it runs one (cgroup v2 cannot rename), and `leftovers` finds the
   * run from the RUNOPS_RUN_ID its command's processes carry.
   */
  forSpare(name: string): RunContainment {
    const dir = path.join(this.root, `spare-${name}`);
    mkdirSync(dir, { recursive: true });
    return runCgroup(dir);
  }

  leftovers() {
    const found: Leftover[] = [];
    for (const name of readdirSync(this.root)) {
      if (SPARE_DIR.test(name)) {
        const spare = spareLeftover(path.join(this.root, name));
        if (spare) found.push(spare);
        continue;
      }
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

/**
 * A spare cgroup that ran a run: the run is the one its processes are marked
 * with. An unused spare (its shell has an empty environment) is nobody's
 * leftover: it exits when its worker does (EOF on its stdin); once empty and
 * old, its directory is removed here.
 */
function spareLeftover(dir: string): Leftover | null {
  const containment = runCgroup(dir);
  const pids = containment.pids();
  let ageMs = 0;
  try {
    ageMs = Date.now() - statSync(dir).mtimeMs;
    if (pids.length === 0) {
      if (ageMs > STALE_SPARE_MS) rmdirSync(dir);
      return null;
    }
  } catch {
    return null; // taken or removed meanwhile
  }
  const runId = pids.map((pid) => environValue(pid, RUN_MARKER)).find((id) => id);
  return runId ? { runId, pids, ageMs, containment } : null;
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
