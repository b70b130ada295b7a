"use server";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { requireActor } from "@/lib/auth/current-actor";
import { getDb } from "@/lib/db/client";
import { refreshEnvironment } from "@/lib/deployments/refresh-environment";
import { type ActionResult, guarded } from "./guarded";

/** Re-reads the environment's .upsun config into a new deployment (project admins). */
export async function refreshEnvironmentAction(
  environmentId: unknown,
): Promise<ActionResult<{ ok: boolean; operations: number; error: string | null }>> {
  return guarded(async () => {
    const actor = await requireActor("console");
    const result = await refreshEnvironment(getDb(), actor, z.string().min(1).parse(environmentId));
    revalidatePath("/projects", "layout");
    return result.ok
      ? { ok: true, operations: result.config.operations.length, error: null }
      : { ok: false, operations: 0, error: result.error };
  });
}
