import type { ServerEnv } from "../env";
import { CgroupContainment, findCgroupRoot } from "./cgroup-containment";
import type { Containment } from "./containment";
import { GroupContainment } from "./group-containment";

/** A cgroup per run where the host allows it (RUNOPS_CONTAINMENT=auto), else the process-group fallback. */
export function openContainment(
  env: Pick<ServerEnv, "RUNOPS_CONTAINMENT" | "RUNOPS_CGROUP_ROOT">,
): Containment {
  if (env.RUNOPS_CONTAINMENT === "process-group") return new GroupContainment();
  const root = findCgroupRoot(env.RUNOPS_CGROUP_ROOT);
  if (root) return new CgroupContainment(root);
  if (env.RUNOPS_CONTAINMENT === "cgroup") {
    throw new Error(
      "RUNOPS_CONTAINMENT=cgroup: no writable cgroup v2 directory (set RUNOPS_CGROUP_ROOT, or Delegate=yes in the worker's systemd unit)",
    );
  }
  return new GroupContainment();
}
