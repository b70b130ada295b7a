"use server";
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { getDb } from "@/lib/db/client";
import { refreshEnvironment } from "@/lib/deployments/refresh-environment";
import { createEnvironment } from "@/lib/environments/create-environment";
import { deleteEnvironment } from "@/lib/environments/delete-environment";
import { createEnvironmentInput, originalEnvironmentName } from "@/lib/environments/environment-input";
import { pauseEnvironment } from "@/lib/environments/pause-environment";
import { resumeEnvironment } from "@/lib/environments/resume-environment";
import { consoleActor, runForm } from "./admin-form";
import type { FormState } from "./admin-form-state";

export type DeployOutcome = {
  name: string;
  ok: boolean;
  operations: { app: string; worker: string | null; name: string; role: string }[];
  error: string | null;
};

/** Adds an environment and deploys it; the answer lists the operations found or the config error. */
export async function createEnvironmentAction(
  _prev: FormState,
  data: FormData,
): Promise<FormState<DeployOutcome>> {
  return runForm(data, async (values) => {
    const { environment, deploy } = await createEnvironment(
      getDb(),
      await consoleActor(),
      createEnvironmentInput.parse(values),
    );
    revalidatePath("/", "layout");
    const operations = deploy.ok
      ? deploy.config.operations.map((o) => ({ app: o.app, worker: o.worker, name: o.name, role: o.role }))
      : [];
    return {
      message: deploy.ok
        ? `Environment ${environment.name} created and deployed: ${operations.length} operation${operations.length === 1 ? "" : "s"} found.`
        : `Environment ${environment.name} created, but its config was refused: fix it, then refresh.`,
      result: { name: environment.name, ok: deploy.ok, operations, error: deploy.ok ? null : deploy.error },
    };
  });
}

/**
 * Pause (`to=paused`) or resume (`to=active`). One action for both, so the
 * button that flips between them keeps one form state (and its message).
 */
export async function changeEnvironmentStatusAction(_prev: FormState, data: FormData): Promise<FormState> {
  return runForm(data, async (values) => {
    const actor = await consoleActor();
    const to = z.enum(["paused", "active"]).parse(values.to);
    const id = values.environmentId ?? "";
    if (to === "paused") {
      const env = await pauseEnvironment(getDb(), actor, id);
      revalidatePath("/", "layout");
      return { message: `${env.name} is paused: new runs are refused.` };
    }
    const env = await resumeEnvironment(getDb(), actor, id);
    revalidatePath("/", "layout");
    return { message: `${env.name} is active again.` };
  });
}

export async function refreshEnvironmentFormAction(_prev: FormState, data: FormData): Promise<FormState> {
  return runForm(data, async (values) => {
    const result = await refreshEnvironment(getDb(), await consoleActor(), values.environmentId ?? "");
    revalidatePath("/", "layout");
    if (!result.ok) {
      return {
        message: `The config was refused; the previous deployment stays current.\n${result.error}`,
        refused: true,
      };
    }
    const n = result.config.operations.length;
    return { message: `Config refreshed: ${n} operation${n === 1 ? "" : "s"}.` };
  });
}

export async function deleteEnvironmentAction(_prev: FormState, data: FormData): Promise<FormState> {
  return runForm(data, async (values) => {
    const env = await deleteEnvironment(getDb(), await consoleActor(), values.environmentId ?? "");
    revalidatePath("/", "layout");
    // From the environment's own page, which no longer exists: go to its project (a local path only).
    const back = values.returnTo ?? "";
    if (/^\/projects\/[a-z0-9-]+$/.test(back)) redirect(back);
    return { message: `${originalEnvironmentName(env.name)} was deleted; its run history is kept.` };
  });
}
