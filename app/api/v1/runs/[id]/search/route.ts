import { endpoints } from "@/lib/api/schemas";
import { apiRoute } from "@/lib/http/api-route";
import { openRunLog } from "@/lib/logs/open-run-log";

/** Line numbers of the run's log that contain `q` (case-insensitive). */
export const GET = apiRoute(endpoints.search, async ({ db, actor, params, query, reply }) => {
  const log = await openRunLog(db, actor, params.id);
  return reply(200, await log.search(query.q, query.limit));
});
