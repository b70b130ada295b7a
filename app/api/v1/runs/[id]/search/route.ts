import { searchQuery } from "@/lib/api/log-queries";
import { apiRoute, pathParams } from "@/lib/http/api-route";
import { searchLog } from "@/lib/logs/search-log";
import { getRun } from "@/lib/runs/get-run";

/** Line numbers of the run's log that contain `q` (case-insensitive). */
export const GET = apiRoute(
  { params: pathParams("id"), query: searchQuery },
  async ({ db, actor, params, query }) => {
    const { run } = await getRun(db, actor, params.id);
    return Response.json(await searchLog(db, run.id, query.q, query.limit));
  },
);
