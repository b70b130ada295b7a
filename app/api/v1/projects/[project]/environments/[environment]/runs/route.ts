import { triggerRunBody, runsQuery } from "@/lib/api/schemas";
import { requireActor } from "@/lib/auth/current-actor";
import { getDb } from "@/lib/db/client";
import { resolveEnvironmentId } from "@/lib/api/resolve-environment";
import { AppError } from "@/lib/errors";
import { handleErrors } from "@/lib/http/json-route";
import { publicBaseUrl } from "@/lib/http/public-url";
import { listRuns } from "@/lib/runs/list-runs";
import { toRunView } from "@/lib/runs/run-view";
import { startRun } from "@/lib/runs/start-run";

type Ctx = RouteContext<"/api/v1/projects/[project]/environments/[environment]/runs">;

/** The environment's runs, newest first, filtered, keyset-paginated (`cursor` = nextCursor). */
export async function GET(req: Request, ctx: Ctx) {
  return handleErrors(async () => {
    const { project, environment } = await ctx.params;
    const filters = runsQuery.parse(Object.fromEntries(new URL(req.url).searchParams));
    const actor = await requireActor();
    const db = getDb();
    const environmentId = await resolveEnvironmentId(db, project, environment);
    const { runs, nextCursor } = await listRuns(db, actor, environmentId, filters);
    const baseUrl = publicBaseUrl(req);
    return Response.json({
      runs: runs.map((r) => toRunView(r, { canCancel: r.canCancel, baseUrl })),
      nextCursor,
    });
  });
}

/** Triggers an operation: 202 with the pending run, at once. */
export async function POST(req: Request, ctx: Ctx) {
  return handleErrors(async () => {
    const { project, environment } = await ctx.params;
    const actor = await requireActor();
    let json: unknown;
    try {
      json = await req.json();
    } catch {
      throw new AppError(400, "invalid_request", 'The body must be JSON: {"operation": "name"}');
    }
    const body = triggerRunBody.parse(json);
    const db = getDb();
    const environmentId = await resolveEnvironmentId(db, project, environment);
    const run = await startRun(db, actor, { environmentId, ...body });
    return Response.json(toRunView(run, { canCancel: run.canCancel, baseUrl: publicBaseUrl(req) }), {
      status: 202,
      headers: { location: `/api/v1/runs/${run.id}` },
    });
  });
}
