import { apiRoute, pathParams } from "@/lib/http/api-route";
import { publicBaseUrl } from "@/lib/http/public-url";
import { cancelRun } from "@/lib/runs/cancel-run";
import { getRun } from "@/lib/runs/get-run";
import { toRunView } from "@/lib/runs/run-view";

export const POST = apiRoute({ params: pathParams("id") }, async ({ req, db, actor, params }) => {
  await cancelRun(db, actor, params.id);
  const { run, canCancel } = await getRun(db, actor, params.id);
  return Response.json(toRunView(run, { canCancel, baseUrl: publicBaseUrl(req) }), { status: 202 });
});
