import { linesQuery } from "@/lib/api/log-queries";
import { apiRoute, pathParams } from "@/lib/http/api-route";
import { openRunLog } from "@/lib/logs/open-run-log";

/** A range of the run's log by line (`from`/`to`, or the last `tail` lines), as JSON. */
export const GET = apiRoute(
  { params: pathParams("id"), query: linesQuery },
  async ({ db, actor, params, query }) => {
    const log = await openRunLog(db, actor, params.id);
    const range =
      query.tail !== undefined ? { tail: query.tail } : { from: query.from ?? 0, to: query.to ?? 0 };
    return Response.json(await log.lines(range));
  },
);
