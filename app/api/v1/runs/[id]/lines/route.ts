import { linesQuery } from "@/lib/api/log-queries";
import { requireActor } from "@/lib/auth/current-actor";
import { getDb } from "@/lib/db/client";
import { handleErrors } from "@/lib/http/json-route";
import { readLines } from "@/lib/logs/read-lines";
import { getRun } from "@/lib/runs/get-run";

/** A range of the run's log by line (`from`/`to`, or the last `tail` lines), as JSON. */
export async function GET(req: Request, ctx: RouteContext<"/api/v1/runs/[id]/lines">) {
  return handleErrors(async () => {
    const { id } = await ctx.params;
    const query = linesQuery.parse(Object.fromEntries(new URL(req.url).searchParams));
    const db = getDb();
    const { run } = await getRun(db, await requireActor(), id);
    if (query.tail !== undefined) {
      // The total is only known inside the read: ask for the count first, then the tail.
      const { total } = await readLines(db, run.id, 0, 0);
      return Response.json(await readLines(db, run.id, Math.max(0, total - query.tail), total));
    }
    return Response.json(await readLines(db, run.id, query.from ?? 0, query.to ?? 0));
  });
}
