import "server-only";
import { headers } from "next/headers";
import { z } from "zod";
import { requireActor } from "@/lib/auth/current-actor";
import { AppError } from "@/lib/errors";
import type { FormState } from "./admin-form-state";

/** Fields whose value is never sent back to the browser. */
const SECRET = /password|confirm|current|token/i;

/** The text fields of a submitted form (Next's own `$ACTION…` entries left out). */
export function formValues(data: FormData): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [key, value] of data.entries()) {
    if (typeof value === "string" && !key.startsWith("$ACTION")) values[key] = value;
  }
  return values;
}

function echo(values: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(values).filter(([k]) => !SECRET.test(k)));
}

function fieldOf(details: unknown): string | undefined {
  if (typeof details === "object" && details !== null && "field" in details) {
    return typeof details.field === "string" ? details.field : undefined;
  }
  return undefined;
}

/**
 * Runs one admin use case for a form: invalid input becomes errors next to
 * the fields, a refusal (AppError) a message with its status; anything else
 * is a bug and throws. The use case itself authorizes (requireAccess).
 */
export async function runForm<T>(
  data: FormData,
  work: (values: Record<string, string>) => Promise<{ message: string; result?: T; refused?: true }>,
): Promise<FormState<T>> {
  const values = formValues(data);
  const at = Date.now();
  try {
    const done = await work(values);
    // `refused`: the action ran but its outcome is a "no" to show as such (e.g. a config that does not load).
    return { status: done.refused ? "error" : "ok", message: done.message, result: done.result, at };
  } catch (error) {
    if (error instanceof z.ZodError) {
      const fieldErrors: Record<string, string> = {};
      let other = false;
      for (const issue of error.issues) {
        const key = issue.path[0];
        // Hidden ids (projectId, memberId…) are not something the user typed: a bad one is a bad request.
        if (typeof key === "string" && !key.endsWith("Id")) fieldErrors[key] ??= issue.message;
        else other = true;
      }
      return {
        status: "error",
        code: 400,
        message: other ? "The request is not valid" : "Check the highlighted fields",
        fieldErrors,
        values: echo(values),
        at,
      };
    }
    if (error instanceof AppError) {
      const field = fieldOf(error.details);
      return {
        status: "error",
        code: error.status,
        message: error.message,
        fieldErrors: field ? { [field]: error.message } : undefined,
        values: echo(values),
        at,
      };
    }
    throw error;
  }
}

/** The signed-in actor of a console form (a 401 refusal when the session is gone). */
export const consoleActor = () => requireActor("console");

/** The client's address for actions that run before anyone is signed in (first start, sign-up). */
export async function requestIp(): Promise<string | null> {
  const h = await headers();
  return h.get("x-forwarded-for")?.split(",")[0]?.trim() || h.get("x-real-ip") || null;
}
