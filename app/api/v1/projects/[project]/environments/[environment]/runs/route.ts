import { endpoints } from "@/lib/api/schemas";
import { apiRoute } from "@/lib/http/api-route";
import { publicBaseUrl } from "@/lib/http/public-url";
import { listRuns } from "@/lib/runs/list-runs";
import { toRunView } from "@/lib/runs/run-view";
import { startRunIn } from "@/lib/runs/start-run";

/** The environment's runs, newest first, filtered, keyset-paginated (`cursor` = nextCursor). */
export const GET = apiRoute(endpoints.listRuns, async ({ req, db, actor, params, query, reply }) => {
  // Addressed by name: the environment is found in the same read as the access check.
  const { runs, nextCursor } = await listRuns(
    db,
    actor,
    { projectSlug: params.project, environmentName: params.environment },
    query,
  );
  const baseUrl = publicBaseUrl(req);
  return reply(200, {
    runs: runs.map((r) => toRunView(r, { canCancel: r.canCancel, baseUrl })),
    nextCursor,
  });
});

/** Triggers an operation: 202 with the pending run, at once. */
export const POST = apiRoute(endpoints.startRun, async ({ req, db, actor, params, body, reply }) => {
  const run = await startRunIn(db, actor, params.project, params.environment, body);
  return reply(202, toRunView(run, { canCancel: run.canCancel, baseUrl: publicBaseUrl(req) }), {
    location: `/api/v1/runs/${run.id}`,
  });
});
