import { type ZodType, z } from "zod";
import type { Actor } from "../access/actor";
import { requireActor } from "../auth/current-actor";
import { type Db, getDb } from "../db/client";
import { AppError } from "../errors";
import { refuseCrossSite } from "./cross-site";
import { handleErrors } from "./json-route";
import { readAdmission } from "./read-admission";

type Spec<P, Q, B> = {
  /** The route's path parameters (default: kept as Next.js decoded them). */
  params?: ZodType<P>;
  /** The query string, as an object of its last values. */
  query?: ZodType<Q>;
  /** A JSON body (Content-Type: application/json): anything else is a 415. */
  body?: ZodType<B>;
};

type Ctx<P, Q, B> = { req: Request; db: Db; params: P; query: Q; body: B };
type NextCtx = { params: Promise<Record<string, string | string[] | undefined>> };

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * The one way to write an `/api` route handler. In order: a mutation made with
 * the session cookie must come from the console's own pages (bearer tokens
 * skip that); the actor is resolved (token or session, 401 without one);
 * params, query and body are parsed with the route's zod schemas (reads take
 * a slot of `readAdmission` first, so they cannot starve writes); `AppError`
 * and zod errors become the API's JSON errors with their status. The handler
 * then calls the use case, which authorizes.
 */
export function apiRoute<P = Record<string, string>, Q = undefined, B = undefined>(
  spec: Spec<P, Q, B>,
  handler: (ctx: Ctx<P, Q, B> & { actor: Actor }) => Promise<Response>,
) {
  return (req: Request, next: NextCtx) =>
    handleErrors(async () => {
      await guardCookieMutation(req);
      const work = async () => {
        const actor = await requireActor();
        return handler({ ...(await parse(spec, req, next)), actor });
      };
      // Reads wait their turn (a stream holds its slot only until its response starts).
      return SAFE_METHODS.has(req.method) ? readAdmission().run(work) : work();
    });
}

/** The same for the few routes anyone may call (health, the OpenAPI document). */
export function publicRoute<P = Record<string, string>, Q = undefined, B = undefined>(
  spec: Spec<P, Q, B>,
  handler: (ctx: Ctx<P, Q, B>) => Promise<Response>,
) {
  return (req: Request, next: NextCtx) =>
    handleErrors(async () => {
      await guardCookieMutation(req);
      return handler(await parse(spec, req, next));
    });
}

async function guardCookieMutation(req: Request) {
  if (SAFE_METHODS.has(req.method) || req.headers.has("authorization")) return;
  await refuseCrossSite(req.headers, `${req.method} ${new URL(req.url).pathname}`);
}

async function parse<P, Q, B>(spec: Spec<P, Q, B>, req: Request, next: NextCtx): Promise<Ctx<P, Q, B>> {
  const raw = await next.params;
  const params = (spec.params ? spec.params.parse(raw) : raw) as P;
  const query = (
    spec.query ? spec.query.parse(Object.fromEntries(new URL(req.url).searchParams)) : undefined
  ) as Q;
  let body = undefined as B;
  if (spec.body) {
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
    body = spec.body.parse(json);
  }
  return { req, db: getDb(), params, query, body };
}

/** Path parameters that must be present and non-empty strings (the common case). */
export const pathParams = <K extends string>(...names: K[]) =>
  z.object(Object.fromEntries(names.map((n) => [n, z.string().min(1)])) as Record<K, z.ZodString>);
