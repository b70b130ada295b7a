import { apiRoute, pathParams } from "@/lib/http/api-route";
import { publicBaseUrl } from "@/lib/http/public-url";
import { cancelRun } from "@/lib/runs/cancel-run";
import { toRunView } from "@/lib/runs/run-view";

export const POST = apiRoute({ params: pathParams("id") }, async ({ req, db, actor, params }) => {
  // cancelRun answers the run as it left it, with what GET /runs/{id} shows: no second read.
  const run = await cancelRun(db, actor, params.id);
  return Response.json(toRunView(run, { canCancel: run.canCancel, baseUrl: publicBaseUrl(req) }), {
    status: 202,
  });
});
