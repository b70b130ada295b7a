import { endpoints } from "@/lib/api/schemas";
import { getEnvironment } from "@/lib/environments/get-environment";
import { apiRoute } from "@/lib/http/api-route";
import { serviceName } from "@/lib/config/service-name";

/**
 * The operations of the environment's current deployment, with whether the caller may run each,
 * and the warnings its config gave (keys set twice).
 */
export const GET = apiRoute(endpoints.operations, async ({ db, actor, params, reply }) => {
  const data = await getEnvironment(db, actor, params.project, params.environment);
  return reply(200, {
    operations: data.operations.map((op) => ({
      service: serviceName(op.app, op.worker),
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
    warnings: data.warnings,
  });
});
