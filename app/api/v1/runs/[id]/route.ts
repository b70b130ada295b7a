import { requireActor } from "@/lib/auth/current-actor";
import { getDb } from "@/lib/db/client";
import { handleErrors } from "@/lib/http/json-route";
import { publicBaseUrl } from "@/lib/http/public-url";
import { getRun } from "@/lib/runs/get-run";
import { toRunView } from "@/lib/runs/run-view";

export async function GET(req: Request, ctx: RouteContext<"/api/v1/runs/[id]">) {
  return handleErrors(async () => {
    const { id } = await ctx.params;
    const { run, canCancel } = await getRun(getDb(), await requireActor(), id);
    return Response.json(toRunView(run, { canCancel, baseUrl: publicBaseUrl(req) }));
  });
}
