import { linesQuery } from "@/lib/api/log-queries";
import { apiRoute, pathParams } from "@/lib/http/api-route";
import { readLines } from "@/lib/logs/read-lines";
import { getRun } from "@/lib/runs/get-run";

/** A range of the run's log by line (`from`/`to`, or the last `tail` lines), as JSON. */
export const GET = apiRoute(
  { params: pathParams("id"), query: linesQuery },
  async ({ db, actor, params, query }) => {
    const { run } = await getRun(db, actor, params.id);
    if (query.tail !== undefined) {
      // The total is only known inside the read: ask for the count first, then the tail.
      const { total } = await readLines(db, run.id, 0, 0);
      return Response.json(await readLines(db, run.id, Math.max(0, total - query.tail), total));
    }
    return Response.json(await readLines(db, run.id, query.from ?? 0, query.to ?? 0));
  },
);
