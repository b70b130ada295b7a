"use server";
import { z } from "zod";
import { serverAction } from "@/lib/http/server-action";
import { cancelRun } from "@/lib/runs/cancel-run";
import { runAgain } from "@/lib/runs/run-again";
import { startRun, startRunInput } from "@/lib/runs/start-run";

/** The same use cases (and so the same access check) as the API's. */
export const triggerRunAction = serverAction(startRunInput, async (input, { db, actor }) => {
  const run = await startRun(db, actor, input);
  return { result: { runId: run.id } };
});

export const cancelRunAction = serverAction(
  z.object({ runId: z.string().min(1) }),
  async ({ runId }, { db, actor }) => {
    const run = await cancelRun(db, actor, runId);
    return { message: "Cancel requested.", result: { runId: run.id } };
  },
);

/** Run again: the same operation on the same target, through the same access check as any run. */
export const runAgainAction = serverAction(
  z.object({ runId: z.string().min(1) }),
  async ({ runId }, { db, actor }) => {
    const run = await runAgain(db, actor, runId);
    return { result: { runId: run.id } };
  },
);
