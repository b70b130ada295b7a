import { endpoints } from "@/lib/api/schemas";
import { apiRoute } from "@/lib/http/api-route";
import { publicBaseUrl } from "@/lib/http/public-url";
import { getRun } from "@/lib/runs/get-run";
import { toRunView } from "@/lib/runs/run-view";

export const GET = apiRoute(endpoints.getRun, async ({ req, db, actor, params, reply }) => {
  const { run, canCancel } = await getRun(db, actor, params.id);
  return reply(200, toRunView(run, { canCancel, baseUrl: publicBaseUrl(req) }));
});
