import { searchQuery } from "@/lib/api/log-queries";
import { apiRoute, pathParams } from "@/lib/http/api-route";
import { openRunLog } from "@/lib/logs/open-run-log";

/** Line numbers of the run's log that contain `q` (case-insensitive). */
export const GET = apiRoute(
  { params: pathParams("id"), query: searchQuery },
  async ({ db, actor, params, query }) => {
    const log = await openRunLog(db, actor, params.id);
    return Response.json(await log.search(query.q, query.limit));
  },
);
