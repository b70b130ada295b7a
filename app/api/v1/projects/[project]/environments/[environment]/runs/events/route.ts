import { type RunChangeEvent, type ResyncEvent, endpoints } from "@/lib/api/schemas";
import { apiRoute } from "@/lib/http/api-route";
import { SSE_HEADERS, abortOnDisconnect, sseStream } from "@/lib/http/sse";
import { type EnvironmentRunEvent, watchEnvironmentRuns } from "@/lib/runs/watch-environment-runs";

export const dynamic = "force-dynamic";

const encoder = new TextEncoder();
const encode = (event: EnvironmentRunEvent) => {
  // The events' data are the contract's (runsStreamEvents): the compiler holds the two together.
  const data: RunChangeEvent | ResyncEvent = event;
  return encoder.encode(
    `event: ${data.type === "resync" ? "resync" : "run"}\ndata: ${JSON.stringify(data)}\n\n`,
  );
};

/** Server-Sent Events: the environment's runs changed (ids only). The run history listens instead of polling. */
export const GET = apiRoute(endpoints.runEvents, async ({ req, db, actor, params }) => {
  const abort = abortOnDisconnect(req);
  const events = await watchEnvironmentRuns(
    db,
    actor,
    { projectSlug: params.project, environmentName: params.environment },
    abort.signal,
  );
  return new Response(sseStream(events, abort, encode), { headers: SSE_HEADERS });
});
