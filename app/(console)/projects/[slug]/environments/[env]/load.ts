import "server-only";
import { cache } from "react";
import { requirePageActor } from "@/lib/auth/current-actor";
import { getDb } from "@/lib/db/client";
import { getEnvironment } from "@/lib/environments/get-environment";
import { orNotFound } from "@/lib/http/or-not-found";

/** The environment, read once per request for the segment's layout, the page's title and the page. */
export const load = cache(async (slug: string, envName: string) => {
  const actor = await requirePageActor();
  const data = await orNotFound(getEnvironment(getDb(), actor, slug, envName));
  return { actor, data };
});
