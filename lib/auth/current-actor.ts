import "server-only";
import { getServerSession } from "next-auth";
import { redirect } from "next/navigation";
import type { Actor, RunSource } from "../access/actor";
import { getDb } from "../db/client";
import { AppError } from "../errors";
import { authOptions } from "./auth-options";

/**
 * The signed-in user, read from the session and checked against the database
 * on every request (a deleted user's cookie grants nothing).
 */
export async function currentActor(source: RunSource = "console"): Promise<Actor | null> {
  const session = await getServerSession(authOptions);
  const id = (session?.user as { id?: string } | undefined)?.id;
  if (!id) return null;
  const user = await getDb().user.findUnique({ where: { id } });
  return user ? { userId: user.id, email: user.email, name: user.name, source } : null;
}

/** For pages: the actor, or a redirect to the sign-in page. */
export async function requirePageActor(): Promise<Actor> {
  const actor = await currentActor();
  if (!actor) redirect("/signin");
  return actor;
}

/** For route handlers and server actions: the actor, or a 401. */
export async function requireActor(source: RunSource = "console"): Promise<Actor> {
  const actor = await currentActor(source);
  if (!actor) throw new AppError(401, "unauthenticated", "Sign in or send a valid API token");
  return actor;
}
