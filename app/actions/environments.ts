"use server";
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { type ConfigWarning, formatConfigWarning } from "@/lib/config/types";
import { refreshEnvironment } from "@/lib/deployments/refresh-environment";
import { checkHostKey } from "@/lib/environments/check-host-key";
import { createEnvironment } from "@/lib/environments/create-environment";
import { deleteEnvironment } from "@/lib/environments/delete-environment";
import { createEnvironmentInput, originalEnvironmentName } from "@/lib/environments/environment-input";
import { pauseEnvironment } from "@/lib/environments/pause-environment";
import { pinHostKey, pinHostKeyInput } from "@/lib/environments/pin-host-key";
import { type SshProbe, probeSshTarget } from "@/lib/environments/probe-ssh-target";
import { resumeEnvironment } from "@/lib/environments/resume-environment";
import { type Outcome, serverAction } from "@/lib/http/server-action";

export type DeployOutcome = {
  kind: "deployed";
  name: string;
  ok: boolean;
  operations: { app: string; worker: string | null; name: string; role: string }[];
  error: string | null;
  /** Keys set twice in the deployed config (a refused one lists them in `error`). */
  warnings: ConfigWarning[];
};

const environmentIdInput = z.object({ environmentId: z.string().min(1) });

/** A deployed config's warnings, one line each after the message (as a refusal lists them). */
function warningLines(warnings: readonly ConfigWarning[]): string[] {
  return warnings.map((w) => `warning: ${formatConfigWarning(w)}`);
}

/** An SSH host's key, shown for the admin to confirm before the environment is added. */
export type HostKeyToConfirm = {
  kind: "confirm-host-key";
  probe: SshProbe;
  /** What the admin typed, shown again in the form while confirming. */
  values: Record<string, string>;
};

/**
 * Adds an environment and deploys it; the answer lists the operations found or the config error.
 * For an SSH target without a confirmed host key, nothing is added yet: the answer is the key
 * the host offers, and the form asks to confirm it.
 */
export const createEnvironmentAction = serverAction(
  createEnvironmentInput,
  async (input, { db, actor }): Promise<Outcome<HostKeyToConfirm | DeployOutcome>> => {
    if (input.targetKind === "ssh" && !input.hostKey && input.targetHost) {
      const probe = await probeSshTarget(db, actor, {
        projectId: input.projectId,
        targetHost: input.targetHost,
      });
      const values = {
        name: input.name,
        type: input.type,
        targetKind: input.targetKind,
        targetHost: input.targetHost,
        targetPath: input.targetPath,
        pool: input.pool ?? "",
      };
      const result: HostKeyToConfirm = { kind: "confirm-host-key", probe, values };
      return {
        message: probe.fingerprint
          ? `${probe.target} offers the host key ${probe.fingerprint}: check it, then confirm.`
          : `${probe.target} could not be reached: ${probe.error ?? "no answer"}`,
        result,
      };
    }
    const { environment, deploy } = await createEnvironment(db, actor, input);
    revalidatePath("/", "layout");
    const operations = deploy.ok
      ? deploy.config.operations.map((o) => ({ app: o.app, worker: o.worker, name: o.name, role: o.role }))
      : [];
    const result: DeployOutcome = {
      kind: "deployed",
      name: environment.name,
      ok: deploy.ok,
      operations,
      error: deploy.ok ? null : deploy.error,
      warnings: deploy.ok ? deploy.warnings : [],
    };
    return {
      message: deploy.ok
        ? `Environment ${environment.name} created and deployed: ${operations.length} operation${operations.length === 1 ? "" : "s"} found.`
        : `Environment ${environment.name} created, but its config was refused: fix it, then refresh.`,
      result,
    };
  },
);

/**
 * Pause (`to=paused`) or resume (`to=active`). One action for both, so the
 * button that flips between them keeps one state (and its message).
 */
export const changeEnvironmentStatusAction = serverAction(
  environmentIdInput.extend({ to: z.enum(["paused", "active"]) }),
  async ({ environmentId, to }, { db, actor }) => {
    if (to === "paused") {
      const env = await pauseEnvironment(db, actor, environmentId);
      revalidatePath("/", "layout");
      return { message: `${env.name} is paused: new runs are refused.` };
    }
    const env = await resumeEnvironment(db, actor, environmentId);
    revalidatePath("/", "layout");
    return { message: `${env.name} is active again.` };
  },
);

/** Re-reads the environment's .upsun config into a new deployment (project admins). */
export const refreshEnvironmentAction = serverAction(
  environmentIdInput,
  async ({ environmentId }, { db, actor }) => {
    const result = await refreshEnvironment(db, actor, environmentId);
    revalidatePath("/", "layout");
    if (!result.ok) {
      return {
        message: `The config was refused; the previous deployment stays current.\n${result.error}`,
        refused: true,
      };
    }
    const n = result.config.operations.length;
    return {
      message: [
        `Config refreshed: ${n} operation${n === 1 ? "" : "s"}.`,
        ...warningLines(result.warnings),
      ].join("\n"),
    };
  },
);

export const deleteEnvironmentAction = serverAction(
  environmentIdInput.extend({ returnTo: z.string().optional() }),
  async ({ environmentId, returnTo }, { db, actor }) => {
    const env = await deleteEnvironment(db, actor, environmentId);
    revalidatePath("/", "layout");
    // From the environment's own page, which no longer exists: go to its project (a local path only).
    if (returnTo && /^\/projects\/[a-z0-9-]+$/.test(returnTo)) redirect(returnTo);
    return { message: `${originalEnvironmentName(env.name)} was deleted; its run history is kept.` };
  },
);

/** What an SSH environment's host offers now, beside the pinned key. */
export const checkHostKeyAction = serverAction(
  environmentIdInput,
  async ({ environmentId }, { db, actor }) => {
    const probe = await checkHostKey(db, actor, environmentId);
    const same = probe.fingerprint !== null && probe.fingerprint === probe.pinned;
    return {
      message: !probe.fingerprint
        ? `${probe.target} could not be reached: ${probe.error ?? "no answer"}`
        : same
          ? `${probe.target} offers the pinned key.`
          : `${probe.target} offers ${probe.fingerprint}; pinned is ${probe.pinned ?? "nothing"}.`,
      result: probe,
    };
  },
);

/** Pins the host key an admin checked, then re-reads the config with it. */
export const pinHostKeyAction = serverAction(pinHostKeyInput, async (input, { db, actor }) => {
  const env = await pinHostKey(db, actor, input);
  const deploy = await refreshEnvironment(db, actor, env.id);
  revalidatePath("/", "layout");
  return {
    message: deploy.ok
      ? [
          `Host key pinned; config refreshed: ${deploy.config.operations.length} operation(s).`,
          ...warningLines(deploy.warnings),
        ].join("\n")
      : `Host key pinned, but the config was refused:\n${deploy.error}`,
  };
});
