import "server-only";
import { cache } from "react";
import { requirePageActor } from "@/lib/auth/current-actor";
import { getDb } from "@/lib/db/client";
import { orNotFound } from "@/lib/http/or-not-found";
import { getRun } from "@/lib/runs/get-run";

/** The run, read once per request for the segment's layout, the page's title and the page. */
export const load = cache(async (id: string) => {
  const actor = await requirePageActor();
  const data = await orNotFound(getRun(getDb(), actor, id));
  return { actor, data };
});
