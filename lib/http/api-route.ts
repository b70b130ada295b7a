import type { z } from "zod";
import type { Actor } from "../access/actor";
import type { Endpoint } from "../api/schemas";
import { requireActor } from "../auth/current-actor";
import { type Db, getDb } from "../db/client";
import { AppError } from "../errors";
import { CHECK_ANSWERS, checkAnswer } from "./check-answer";
import { refuseCrossSite } from "./cross-site";
import { handleErrors } from "./json-route";
import { readAdmission } from "./read-admission";

type Parsed<S> = S extends z.ZodType ? z.output<S> : undefined;
/** The statuses for which the endpoint declares a JSON answer. */
type JsonStatus<E extends Endpoint> = {
  [K in keyof E["responses"]]: E["responses"][K] extends { schema: z.ZodType } ? K : never;
}[keyof E["responses"]];
type JsonOf<E extends Endpoint, K extends keyof E["responses"]> = E["responses"][K] extends {
  schema: infer S extends z.ZodType;
}
  ? z.input<S>
  : never;

type Ctx<E extends Endpoint> = {
  req: Request;
  db: Db;
  params: E["params"] extends z.ZodType ? z.output<E["params"]> : Record<string, string>;
  query: Parsed<E["query"]>;
  body: Parsed<E["body"]>;
  /** The JSON answer for `status`, typed by the endpoint's schema for it. */
  reply: <K extends JsonStatus<E>>(status: K, body: JsonOf<E, K>, headers?: HeadersInit) => Response;
};
type NextCtx = { params: Promise<Record<string, string | string[] | undefined>> };

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * The one way to write an `/api` route handler, for one endpoint of
 * lib/api/endpoints.ts. In order: a mutation made with the session cookie must
 * come from the console's own pages (bearer tokens skip that); the actor is
 * resolved (token or session, 401 without one); params, query and body are
 * parsed with the endpoint's zod schemas (reads take a slot of
 * `readAdmission` first, so they cannot starve writes); `AppError` and zod
 * errors become the API's JSON errors with their status. The handler then
 * calls the use case, which authorizes, and answers with `reply` (or a stream).
 * In development and tests the answer is checked against the endpoint's
 * contract (lib/http/check-answer.ts).
 */
export function apiRoute<const E extends Endpoint>(
  endpoint: E,
  handler: (ctx: Ctx<E> & { actor: Actor }) => Promise<Response>,
) {
  return contracted(endpoint, async (req, next) => {
    await guardCookieMutation(req);
    const work = async () => {
      const actor = await requireActor();
      return handler({ ...(await parse(endpoint, req, next)), actor });
    };
    // Reads wait their turn (a stream holds its slot only until its response starts).
    return SAFE_METHODS.has(req.method) ? readAdmission().run(work) : work();
  });
}

/** The same for the few routes anyone may call (health, the OpenAPI document). */
export function publicRoute<const E extends Endpoint>(
  endpoint: E,
  handler: (ctx: Ctx<E>) => Promise<Response>,
) {
  return contracted(endpoint, async (req, next) => {
    await guardCookieMutation(req);
    return handler(await parse(endpoint, req, next));
  });
}

function contracted(endpoint: Endpoint, answer: (req: Request, next: NextCtx) => Promise<Response>) {
  return async (req: Request, next: NextCtx) => {
    const res = await handleErrors(() => answer(req, next));
    return CHECK_ANSWERS ? checkAnswer(endpoint, res) : res;
  };
}

async function guardCookieMutation(req: Request) {
  if (SAFE_METHODS.has(req.method) || req.headers.has("authorization")) return;
  await refuseCrossSite(req.headers, `${req.method} ${new URL(req.url).pathname}`);
}

async function parse<E extends Endpoint>(endpoint: E, req: Request, next: NextCtx): Promise<Ctx<E>> {
  const raw = await next.params;
  const params = endpoint.params ? endpoint.params.parse(raw) : raw;
  const query = endpoint.query?.parse(Object.fromEntries(new URL(req.url).searchParams));
  let body: unknown;
  if (endpoint.body) {
    const type = req.headers.get("content-type") ?? "";
    if (!/^application\/json\b/i.test(type)) {
      throw new AppError(
        415,
        "unsupported_media_type",
        "The body must be JSON (Content-Type: application/json)",
      );
    }
    let json: unknown;
    try {
      json = await req.json();
    } catch {
      throw new AppError(400, "invalid_request", "The body is not valid JSON");
    }
    body = endpoint.body.parse(json);
  }
  const reply = (status: number, value: unknown, headers?: HeadersInit) =>
    Response.json(value, { status, headers });
  // The schemas above are the endpoint's own: what they parsed has the types Ctx names.
  return { req, db: getDb(), params, query, body, reply } as Ctx<E>;
}
