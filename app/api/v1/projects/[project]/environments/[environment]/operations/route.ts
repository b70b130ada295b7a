import { requireActor } from "@/lib/auth/current-actor";
import { getDb } from "@/lib/db/client";
import { getEnvironment } from "@/lib/environments/get-environment";
import { handleErrors } from "@/lib/http/json-route";

/** The operations of the environment's current deployment, with whether the caller may run each. */
export async function GET(
  _req: Request,
  ctx: RouteContext<"/api/v1/projects/[project]/environments/[environment]/operations">,
) {
  return handleErrors(async () => {
    const { project, environment } = await ctx.params;
    const data = await getEnvironment(getDb(), await requireActor(), project, environment);
    return Response.json({
      operations: data.operations.map((op) => ({
        service: op.worker ? `${op.app}--${op.worker}` : op.app,
        app: op.app,
        worker: op.worker,
        name: op.name,
        role: op.role,
        start: op.start,
        stop: op.stop,
        timeout: op.timeout,
        canRun: op.allowed,
        reason: op.reason,
      })),
    });
  });
}
