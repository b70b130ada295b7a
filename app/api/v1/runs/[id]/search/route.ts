import { searchQuery } from "@/lib/api/log-queries";
import { requireActor } from "@/lib/auth/current-actor";
import { getDb } from "@/lib/db/client";
import { handleErrors } from "@/lib/http/json-route";
import { searchLog } from "@/lib/logs/search-log";
import { getRun } from "@/lib/runs/get-run";

/** Line numbers of the run's log that contain `q` (case-insensitive). */
export async function GET(req: Request, ctx: RouteContext<"/api/v1/runs/[id]/search">) {
  return handleErrors(async () => {
    const { id } = await ctx.params;
    const { q, limit } = searchQuery.parse(Object.fromEntries(new URL(req.url).searchParams));
    const db = getDb();
    const { run } = await getRun(db, await requireActor(), id);
    return Response.json(await searchLog(db, run.id, q, limit));
  });
}
