import type { Db } from "../db/client";
import type { Containment } from "../executor/containment";
import { startLocal } from "../executor/local-executor";
import type { RunAsUser } from "../executor/run-as";
import type { SpareShells } from "../executor/spare-shell";
import { startSsh } from "../executor/ssh-executor";
import type { ExecHandle, OutputSink } from "../executor/types";
import type { ClaimedRun } from "../runs/claim-run";
import { storedSshTarget } from "../ssh/target";
import { projectPrivateKeys } from "../ssh-keys/project-key-store";
import { buildRunEnvironment, operationEnvironment } from "./run-environment";

export type ExecutionLimits = {
  defaultTimeoutSec: number;
  graceMs: number;
  stopTimeoutMs: number;
};

/**
 * Starts a claimed run where its snapshot says: on this host (as the run-as
 * user, contained), or on its SSH target with the project's keys and the
 * pinned host key.
 */
export async function startExecution(
  run: ClaimedRun,
  parts: { db: Db; containment: Containment; runAs: RunAsUser | null; spares?: SpareShells },
  limits: ExecutionLimits,
  sink: OutputSink,
): Promise<ExecHandle> {
  const context = {
    runId: run.id,
    projectSlug: run.projectSlug,
    environmentName: run.environmentName,
    environmentType: run.environmentType,
    app: run.app,
    appDir: run.appDir,
    appEnv: parseAppEnv(run.appEnv),
  };
  const common = {
    command: run.command,
    stopCommand: run.stopCommand,
    timeoutMs: (run.timeoutSec ?? limits.defaultTimeoutSec) * 1000,
    graceMs: limits.graceMs,
    stopTimeoutMs: limits.stopTimeoutMs,
  };
  if (run.targetKind !== "ssh") {
    const spare = (await parts.spares?.take()) ?? null;
    return startLocal(
      {
        ...common,
        cwd: run.appDir,
        target: run.targetPath || run.appDir,
        env: buildRunEnvironment({ ...context, runAs: parts.runAs }),
        runAs: parts.runAs,
        containment: spare?.cgroup ?? parts.containment.forRun(run.id),
        ...(spare ? { spare: spare.child } : {}),
      },
      sink,
    );
  }
  let privateKeys: string[];
  try {
    privateKeys = await projectPrivateKeys(parts.db, run.projectId);
  } catch (error) {
    return failed(`the project's SSH key could not be read: ${(error as Error).message}`);
  }
  if (!run.targetHostKey) return failed(`the host key of ${run.targetHost ?? "the target"} is not pinned`);
  return startSsh(
    {
      ...common,
      runId: run.id,
      target: storedSshTarget(run.targetHost ?? ""),
      privateKeys,
      hostKey: run.targetHostKey,
      cwd: run.appDir,
      targetDir: run.targetPath || run.appDir,
      env: operationEnvironment(context),
    },
    sink,
  );
}

/** A run that could not start: it ends at once with the reason. */
function failed(reason: string): ExecHandle {
  return {
    cancel: () => undefined,
    done: Promise.resolve({ ended: "spawn-failed", exitCode: null, signal: null, reason }),
  };
}

function parseAppEnv(json: string): Record<string, string> {
  try {
    const value: unknown = JSON.parse(json);
    if (value && typeof value === "object" && !Array.isArray(value)) {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, String(v)]));
    }
  } catch {
    // a snapshot is written by startRun: never malformed in practice
  }
  return {};
}
