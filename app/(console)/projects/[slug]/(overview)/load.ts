import "server-only";
import { cache } from "react";
import { requirePageActor } from "@/lib/auth/current-actor";
import { getDb } from "@/lib/db/client";
import { orNotFound } from "@/lib/http/or-not-found";
import { getProject } from "@/lib/projects/get-project";

/** The project, read once per request for the segment's layout, the page's title and the page. */
export const load = cache(async (slug: string) => {
  const actor = await requirePageActor();
  const data = await orNotFound(getProject(getDb(), actor, slug));
  return { actor, data };
});
