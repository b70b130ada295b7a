"use server";
import { currentActor } from "@/lib/auth/current-actor";
import { getDb } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { cancelRun } from "@/lib/runs/cancel-run";
import { startRun, startRunInput } from "@/lib/runs/start-run";
import { z } from "zod";

export type ActionResult<T> = { ok: true; value: T } | { ok: false; error: string; status: number };

async function guarded<T>(work: () => Promise<T>): Promise<ActionResult<T>> {
  try {
    return { ok: true, value: await work() };
  } catch (error) {
    if (error instanceof AppError) return { ok: false, error: error.message, status: error.status };
    if (error instanceof z.ZodError) return { ok: false, error: "Invalid request", status: 400 };
    throw error;
  }
}

/**
 * Server actions are public HTTP endpoints: each one reads the actor and goes
 * through the same domain functions (and so the same access check) as the API.
 */
export async function triggerRunAction(input: unknown): Promise<ActionResult<{ runId: string }>> {
  return guarded(async () => {
    const actor = await currentActor("console");
    if (!actor) throw new AppError(401, "unauthenticated", "Your session has ended: sign in again");
    const run = await startRun(getDb(), actor, startRunInput.parse(input));
    return { runId: run.id };
  });
}

export async function cancelRunAction(runId: unknown): Promise<ActionResult<{ runId: string }>> {
  return guarded(async () => {
    const actor = await currentActor("console");
    if (!actor) throw new AppError(401, "unauthenticated", "Your session has ended: sign in again");
    const run = await cancelRun(getDb(), actor, z.string().min(1).parse(runId));
    return { runId: run.id };
  });
}
