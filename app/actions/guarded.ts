import { z } from "zod";
import { AppError } from "@/lib/errors";

export type ActionResult<T> = { ok: true; value: T } | { ok: false; error: string; status: number };

/** Domain refusals become a result the form can show; anything else is a bug and throws. */
export async function guarded<T>(work: () => Promise<T>): Promise<ActionResult<T>> {
  try {
    return { ok: true, value: await work() };
  } catch (error) {
    if (error instanceof AppError) return { ok: false, error: error.message, status: error.status };
    if (error instanceof z.ZodError) return { ok: false, error: "Invalid request", status: 400 };
    throw error;
  }
}
