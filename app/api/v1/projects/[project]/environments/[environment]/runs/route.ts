import { resolveEnvironmentId } from "@/lib/api/resolve-environment";
import { runsQuery, triggerRunBody } from "@/lib/api/schemas";
import { apiRoute, pathParams } from "@/lib/http/api-route";
import { publicBaseUrl } from "@/lib/http/public-url";
import { listRuns } from "@/lib/runs/list-runs";
import { toRunView } from "@/lib/runs/run-view";
import { startRun } from "@/lib/runs/start-run";

const params = pathParams("project", "environment");

/** The environment's runs, newest first, filtered, keyset-paginated (`cursor` = nextCursor). */
export const GET = apiRoute({ params, query: runsQuery }, async ({ req, db, actor, params, query }) => {
  const environmentId = await resolveEnvironmentId(db, params.project, params.environment);
  const { runs, nextCursor } = await listRuns(db, actor, environmentId, query);
  const baseUrl = publicBaseUrl(req);
  return Response.json({
    runs: runs.map((r) => toRunView(r, { canCancel: r.canCancel, baseUrl })),
    nextCursor,
  });
});

/** Triggers an operation: 202 with the pending run, at once. */
export const POST = apiRoute({ params, body: triggerRunBody }, async ({ req, db, actor, params, body }) => {
  const environmentId = await resolveEnvironmentId(db, params.project, params.environment);
  const run = await startRun(db, actor, { environmentId, ...body });
  return Response.json(toRunView(run, { canCancel: run.canCancel, baseUrl: publicBaseUrl(req) }), {
    status: 202,
    headers: { location: `/api/v1/runs/${run.id}` },
  });
});
