import { endpoints } from "@/lib/api/schemas";
import { apiRoute } from "@/lib/http/api-route";
import { openRunLog } from "@/lib/logs/open-run-log";
import { encodeLogEvent } from "@/lib/logs/sse";
import { SSE_HEADERS, abortOnDisconnect, sseStream } from "@/lib/http/sse";
import { toRunView } from "@/lib/runs/run-view";
import { publicBaseUrl } from "@/lib/http/public-url";
import { z } from "zod";

export const dynamic = "force-dynamic";

const lastEventId = z.coerce.number().int().nonnegative().catch(0);

/**
 * The run's log: Server-Sent Events resuming after Last-Event-ID (or
 * ?after=N), with `state` events carrying the run as GET /runs/{id} shows
 * it; or, with Accept: text/plain (or ?format=text, for links), the whole
 * stored log as the bytes the command printed.
 */
export const GET = apiRoute(endpoints.runLog, async ({ req, db, actor, params, query }) => {
  const log = await openRunLog(db, actor, params.id);
  const { run, canCancel } = log;
  const accept = req.headers.get("accept") ?? "";
  const wantsText =
    query.format === "text" || (accept.includes("text/plain") && !accept.includes("text/event-stream"));

  if (wantsText) {
    const chunks = log.bytes();
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        const next = await chunks.next();
        if (next.done) controller.close();
        else controller.enqueue(next.value.data);
      },
      async cancel() {
        await chunks.return(undefined);
      },
    });
    return new Response(body, {
      headers: {
        "content-type": "text/plain; charset=utf-8",
        "content-disposition": `attachment; filename="run-${run.id}.log"`,
        "x-content-type-options": "nosniff",
      },
    });
  }

  const after = lastEventId.parse(req.headers.get("last-event-id") ?? query.after ?? 0);
  const abort = abortOnDisconnect(req);
  const baseUrl = publicBaseUrl(req);
  // The run's state comes over the same stream as its log: the run page does not poll.
  const events = log.live(after, abort.signal, (row) => toRunView(row, { canCancel, baseUrl }));
  return new Response(sseStream(events, abort, encodeLogEvent), { headers: SSE_HEADERS });
});
