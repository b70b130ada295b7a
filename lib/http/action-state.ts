/**
 * What every server action answers (React's useActionState keeps it for
 * forms; buttons await it): a message, errors per field, and what the user
 * typed so the form shows it again (never passwords). Client-safe: types and
 * constants only.
 */
export type ActionState<T = unknown> = {
  status: "idle" | "ok" | "error";
  message?: string;
  /** HTTP-like status of a refusal (400, 403, 404, 409…), for the record and for tests. */
  code?: number;
  fieldErrors?: Record<string, string>;
  values?: Record<string, string>;
  result?: T;
  /** Changes on every answer, so the form can move focus even when the message is the same. */
  at?: number;
};

export const IDLE: ActionState<never> = { status: "idle" };
