import { requireActor } from "@/lib/auth/current-actor";
import { getDb } from "@/lib/db/client";
import { handleErrors } from "@/lib/http/json-route";
import { publicBaseUrl } from "@/lib/http/public-url";
import { cancelRun } from "@/lib/runs/cancel-run";
import { getRun } from "@/lib/runs/get-run";
import { toRunView } from "@/lib/runs/run-view";

export async function POST(req: Request, ctx: RouteContext<"/api/v1/runs/[id]/cancel">) {
  return handleErrors(async () => {
    const { id } = await ctx.params;
    const actor = await requireActor();
    await cancelRun(getDb(), actor, id);
    const { run, canCancel } = await getRun(getDb(), actor, id);
    return Response.json(toRunView(run, { canCancel, baseUrl: publicBaseUrl(req) }), { status: 202 });
  });
}
