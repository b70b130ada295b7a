import { requireActor } from "@/lib/auth/current-actor";
import { getDb } from "@/lib/db/client";
import { handleErrors } from "@/lib/http/json-route";
import { listRuns, runFiltersSchema } from "@/lib/runs/list-runs";
import { toRunView } from "@/lib/runs/run-view";

export async function GET(req: Request, ctx: RouteContext<"/api/v1/environments/[id]/runs">) {
  return handleErrors(async () => {
    const { id } = await ctx.params;
    const filters = runFiltersSchema.parse(Object.fromEntries(new URL(req.url).searchParams));
    const { runs, nextCursor } = await listRuns(getDb(), await requireActor(), id, filters);
    return Response.json({ runs: runs.map((r) => toRunView(r)), nextCursor });
  });
}
