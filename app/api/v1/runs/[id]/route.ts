import { apiRoute, pathParams } from "@/lib/http/api-route";
import { publicBaseUrl } from "@/lib/http/public-url";
import { getRun } from "@/lib/runs/get-run";
import { toRunView } from "@/lib/runs/run-view";

export const GET = apiRoute({ params: pathParams("id") }, async ({ req, db, actor, params }) => {
  const { run, canCancel } = await getRun(db, actor, params.id);
  return Response.json(toRunView(run, { canCancel, baseUrl: publicBaseUrl(req) }));
});
