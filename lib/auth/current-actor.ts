import "server-only";
import { getServerSession } from "next-auth";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import type { Actor, RunSource } from "../access/actor";
import { getDb } from "../db/client";
import { AppError } from "../errors";
import { authenticateToken } from "../tokens/authenticate-token";
import { authOptions } from "./auth-options";

type Resolved = { actor: Actor } | { actor: null; reason: string };

/**
 * Who is making this request: a bearer API token (API and CLI) or the console
 * session. Either way the user is read from the database on every request, so
 * a deleted user or a revoked token grants nothing from the next request on.
 */
async function resolveActor(source: RunSource): Promise<Resolved> {
  const h = await headers();
  const ip = h.get("x-forwarded-for")?.split(",")[0]?.trim() || h.get("x-real-ip") || null;
  const authorization = h.get("authorization");
  if (authorization) {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization);
    if (!match?.[1]) return { actor: null, reason: "The Authorization header must be `Bearer <token>`" };
    const user = await authenticateToken(getDb(), match[1]);
    if (!user) return { actor: null, reason: "The API token is invalid, expired or revoked" };
    const door: RunSource = h.get("x-runops-client")?.startsWith("cli") ? "cli" : "api";
    return { actor: { userId: user.id, email: user.email, name: user.name, source: door, ip } };
  }
  const session = await getServerSession(authOptions);
  const id = (session?.user as { id?: string } | undefined)?.id;
  const user = id ? await getDb().user.findUnique({ where: { id } }) : null;
  if (!user) return { actor: null, reason: "Sign in or send a valid API token" };
  return { actor: { userId: user.id, email: user.email, name: user.name, source, ip } };
}

export async function currentActor(source: RunSource = "console"): Promise<Actor | null> {
  return (await resolveActor(source)).actor;
}

/** For pages: the actor, or a redirect to the sign-in page. */
export async function requirePageActor(): Promise<Actor> {
  const actor = await currentActor();
  if (!actor) redirect("/signin");
  return actor;
}

/** For route handlers and server actions: the actor, or a 401 saying why. */
export async function requireActor(source: RunSource = "console"): Promise<Actor> {
  const resolved = await resolveActor(source);
  if (!resolved.actor) throw new AppError(401, "unauthenticated", resolved.reason);
  return resolved.actor;
}
