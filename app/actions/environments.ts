"use server";
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { refreshEnvironment } from "@/lib/deployments/refresh-environment";
import { createEnvironment } from "@/lib/environments/create-environment";
import { deleteEnvironment } from "@/lib/environments/delete-environment";
import { createEnvironmentInput, originalEnvironmentName } from "@/lib/environments/environment-input";
import { pauseEnvironment } from "@/lib/environments/pause-environment";
import { resumeEnvironment } from "@/lib/environments/resume-environment";
import { serverAction } from "@/lib/http/server-action";

export type DeployOutcome = {
  name: string;
  ok: boolean;
  operations: { app: string; worker: string | null; name: string; role: string }[];
  error: string | null;
};

const environmentIdInput = z.object({ environmentId: z.string().min(1) });

/** Adds an environment and deploys it; the answer lists the operations found or the config error. */
export const createEnvironmentAction = serverAction(createEnvironmentInput, async (input, { db, actor }) => {
  const { environment, deploy } = await createEnvironment(db, actor, input);
  revalidatePath("/", "layout");
  const operations = deploy.ok
    ? deploy.config.operations.map((o) => ({ app: o.app, worker: o.worker, name: o.name, role: o.role }))
    : [];
  const result: DeployOutcome = {
    name: environment.name,
    ok: deploy.ok,
    operations,
    error: deploy.ok ? null : deploy.error,
  };
  return {
    message: deploy.ok
      ? `Environment ${environment.name} created and deployed: ${operations.length} operation${operations.length === 1 ? "" : "s"} found.`
      : `Environment ${environment.name} created, but its config was refused: fix it, then refresh.`,
    result,
  };
});

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
    return { message: `Config refreshed: ${n} operation${n === 1 ? "" : "s"}.` };
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
