import { endpoints } from "@/lib/api/schemas";
import { apiRoute } from "@/lib/http/api-route";
import { publicBaseUrl } from "@/lib/http/public-url";
import { cancelRun } from "@/lib/runs/cancel-run";
import { toRunView } from "@/lib/runs/run-view";

export const POST = apiRoute(endpoints.cancelRun, async ({ req, db, actor, params, reply }) => {
  // cancelRun answers the run as it left it, with what GET /runs/{id} shows: no second read.
  const run = await cancelRun(db, actor, params.id);
  return reply(202, toRunView(run, { canCancel: run.canCancel, baseUrl: publicBaseUrl(req) }));
});
