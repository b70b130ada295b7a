import { endpoints } from "@/lib/api/schemas";
import { apiRoute } from "@/lib/http/api-route";
import { openRunLog } from "@/lib/logs/open-run-log";

/** A range of the run's log by line (`from`/`to`, or the last `tail` lines), as JSON. */
export const GET = apiRoute(endpoints.lines, async ({ db, actor, params, query, reply }) => {
  const log = await openRunLog(db, actor, params.id);
  const range =
    query.tail !== undefined ? { tail: query.tail } : { from: query.from ?? 0, to: query.to ?? 0 };
  return reply(200, await log.lines(range));
});
