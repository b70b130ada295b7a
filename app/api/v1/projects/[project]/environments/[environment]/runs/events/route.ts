import { resolveEnvironmentId } from "@/lib/api/resolve-environment";
import { requireActor } from "@/lib/auth/current-actor";
import { getDb } from "@/lib/db/client";
import { handleErrors } from "@/lib/http/json-route";
import { SSE_HEADERS, abortOnDisconnect, sseStream } from "@/lib/http/sse";
import { type EnvironmentRunEvent, watchEnvironmentRuns } from "@/lib/runs/watch-environment-runs";

export const dynamic = "force-dynamic";

type Ctx = RouteContext<"/api/v1/projects/[project]/environments/[environment]/runs/events">;

const encoder = new TextEncoder();
const encode = (event: EnvironmentRunEvent) =>
  encoder.encode(`event: ${event.type === "resync" ? "resync" : "run"}\ndata: ${JSON.stringify(event)}\n\n`);

/** Server-Sent Events: the environment's runs changed (ids only). The run history listens instead of polling. */
export async function GET(req: Request, ctx: Ctx) {
  return handleErrors(async () => {
    const { project, environment } = await ctx.params;
    const actor = await requireActor();
    const db = getDb();
    const environmentId = await resolveEnvironmentId(db, project, environment);
    const abort = abortOnDisconnect(req);
    const events = await watchEnvironmentRuns(db, actor, environmentId, abort.signal);
    return new Response(sseStream(events, abort, encode), { headers: SSE_HEADERS });
  });
}
