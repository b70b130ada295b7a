import "server-only";
import { headers } from "next/headers";
import { type ZodType, z } from "zod";
import type { Actor } from "../access/actor";
import { requireActor } from "../auth/current-actor";
import { type Db, getDb } from "../db/client";
import { AppError } from "../errors";
import type { ActionState } from "./action-state";
import { clientAddress } from "./client-address";
import { refuseCrossSite } from "./cross-site";

/** What a use case's action reports: a message, a result, or a "no" to show as such (refused). */
export type Outcome<T> = { message?: string; result?: T; refused?: true };

type Signed = { actor: Actor; db: Db };
type Anonymous = { actor: null; db: Db; ip: string | null };

/** Fields whose value is never sent back to the browser. */
const SECRET = /password|confirm|current|token/i;

/**
 * The one way to write a server action. A server action is a public HTTP
 * endpoint: in order, the request must come from the console's own pages
 * (403 and an audit event otherwise), the actor is resolved (a 401 refusal
 * without a session), the input — a form's FormData or a plain object — is
 * parsed with the use case's zod schema, and the work runs; invalid input
 * becomes errors next to the fields, an `AppError` its message and status.
 * Anything else is a bug and throws (as do Next's redirect() and notFound()).
 * The use case authorizes.
 */
export function serverAction<S extends ZodType, T = unknown>(
  schema: S,
  work: (input: z.infer<S>, ctx: Signed) => Promise<Outcome<T>>,
) {
  return async (inputOrPrevious: unknown, form?: FormData): Promise<ActionState<T>> =>
    run(form ?? inputOrPrevious, schema, async (input) =>
      work(input, { actor: await requireActor("console"), db: getDb() }),
    );
}

/** The same for the few actions of people not signed in yet (first start, sign-up, an invitation). */
export function publicAction<S extends ZodType, T = unknown>(
  schema: S,
  work: (input: z.infer<S>, ctx: Anonymous) => Promise<Outcome<T>>,
) {
  return async (inputOrPrevious: unknown, form?: FormData): Promise<ActionState<T>> =>
    run(form ?? inputOrPrevious, schema, async (input) =>
      work(input, { actor: null, db: getDb(), ip: clientAddress(await headers()) }),
    );
}

/**
 * A form's action is called as (previous state, FormData) by useActionState;
 * a button's as (input object): `raw` is the FormData or the object.
 */
async function run<S extends ZodType, T>(
  raw: unknown,
  schema: S,
  work: (input: z.infer<S>) => Promise<Outcome<T>>,
): Promise<ActionState<T>> {
  const values = raw instanceof FormData ? formValues(raw) : objectValues(raw);
  const at = Date.now();
  try {
    await refuseCrossSite(await headers(), "server action");
    const done = await work(schema.parse(raw instanceof FormData ? values : raw));
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
      const message = other ? "The request is not valid" : "Check the highlighted fields";
      return { status: "error", code: 400, message, fieldErrors, values: echo(values), at };
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

/** The text fields of a submitted form (Next's own `$ACTION…` entries left out). */
function formValues(data: FormData): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [key, value] of data.entries()) {
    if (typeof value === "string" && !key.startsWith("$ACTION")) values[key] = value;
  }
  return values;
}

function objectValues(raw: unknown): Record<string, string> {
  if (typeof raw !== "object" || raw === null) return {};
  return Object.fromEntries(
    Object.entries(raw).flatMap(([k, v]) => (typeof v === "string" ? [[k, v] as const] : [])),
  );
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
