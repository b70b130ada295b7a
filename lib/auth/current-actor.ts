import "server-only";
import { getServerSession } from "next-auth";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { cache } from "react";
import type { Actor, RunSource } from "../access/actor";
import { getDb } from "../db/client";
import { AppError } from "../errors";
import { authOptions } from "./auth-options";
import { type Resolved, resolveActor } from "./resolve-actor";
import { getThrottle } from "./throttle";

/** This request's actor (lib/auth/resolve-actor.ts has the rules). */
async function resolve(source: RunSource): Promise<Resolved> {
  return resolveActor(getDb(), getThrottle(), {
    headers: await headers(),
    source,
    session: () => getServerSession(authOptions),
  });
}

export async function currentActor(source: RunSource = "console"): Promise<Actor | null> {
  return (await resolve(source)).actor;
}

/**
 * For pages: the actor, or a redirect to the sign-in page. Resolved once per request (the console
 * layout and the page both ask).
 */
export const requirePageActor = cache(async (): Promise<Actor> => {
  const actor = await currentActor();
  if (!actor) redirect("/signin");
  return actor;
});

/** For route handlers and server actions: the actor, or a 401 saying why (429 with Retry-After when throttled). */
export async function requireActor(source: RunSource = "console"): Promise<Actor> {
  const resolved = await resolve(source);
  if (resolved.actor) return resolved.actor;
  if (resolved.status === 429) {
    throw new AppError(
      429,
      "throttled",
      resolved.reason,
      { retryAfterSec: resolved.retryAfterSec },
      { "Retry-After": String(resolved.retryAfterSec) },
    );
  }
  throw new AppError(401, "unauthenticated", resolved.reason);
}
