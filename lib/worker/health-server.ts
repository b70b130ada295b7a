import http from "node:http";
import type { RunWorker } from "./run-worker";

/**
 * `runops worker --health-port N`: GET /health answers 200 with the worker's
 * id, runs in progress and last heartbeat while its heartbeats reach the
 * database, 503 when the last one is older than two heartbeats.
 */
export function serveHealth(worker: RunWorker, port: number, heartbeatMs: number, host = "127.0.0.1") {
  const server = http.createServer((req, res) => {
    if (req.url !== "/health") {
      res.writeHead(404, { "content-type": "application/json" }).end('{"error":"not found"}');
      return;
    }
    const age = Date.now() - worker.lastHeartbeat;
    const ok = worker.workerId !== "" && age <= 2 * heartbeatMs;
    res.writeHead(ok ? 200 : 503, { "content-type": "application/json" });
    res.end(
      JSON.stringify({
        ok,
        workerId: worker.workerId,
        runsInProgress: worker.inProgress,
        lastHeartbeatAt: worker.lastHeartbeat ? new Date(worker.lastHeartbeat).toISOString() : null,
      }),
    );
  });
  server.listen(port, host);
  return server;
}
