"use server";
import { requireActor } from "@/lib/auth/current-actor";
import { getDb } from "@/lib/db/client";
import { cancelRun } from "@/lib/runs/cancel-run";
import { startRun, startRunInput } from "@/lib/runs/start-run";
import { z } from "zod";
import { type ActionResult, guarded } from "./guarded";

/**
 * Server actions are public HTTP endpoints: each one reads the actor and goes
 * through the same domain functions (and so the same access check) as the API.
 */
export async function triggerRunAction(input: unknown): Promise<ActionResult<{ runId: string }>> {
  return guarded(async () => {
    const actor = await requireActor("console");
    const run = await startRun(getDb(), actor, startRunInput.parse(input));
    return { runId: run.id };
  });
}

export async function cancelRunAction(runId: unknown): Promise<ActionResult<{ runId: string }>> {
  return guarded(async () => {
    const actor = await requireActor("console");
    const run = await cancelRun(getDb(), actor, z.string().min(1).parse(runId));
    return { runId: run.id };
  });
}
