import http from "node:http";
import next from "next";
import { serverEnv } from "../env";
import { PEER_HEADER } from "../http/client-address";
import { TurnIntake } from "./turn-intake";

/** GET requests started per event-loop turn (see turn-intake.ts). */
const READS_PER_TURN = 4;

export type ConsoleServerOptions = { dev: boolean; port: number; hostname: string; dir: string };

/** Headers every answer carries, pages or not (pages also get a CSP with a nonce, from proxy.ts). */
export function baselineHeaders(https: boolean): Record<string, string> {
  return {
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
    "x-frame-options": "DENY",
    "cross-origin-opener-policy": "same-origin",
    "permissions-policy": "camera=(), microphone=(), geolocation=(), payment=()",
    ...(https ? { "strict-transport-security": "max-age=31536000; includeSubDomains" } : {}),
  };
}

const BAD_PATH = JSON.stringify({
  error: { code: "invalid_request", message: "The request path is not valid (malformed percent-encoding)" },
});

/**
 * The console's HTTP server: Next.js behind a thin layer that only runops'
 * own code can provide. It records the socket's address for the request
 * (Next.js hides the socket from route handlers; a client-sent copy of the
 * header is dropped), sets the baseline security headers, answers a path
 * that does not decode with a 400 instead of letting it reach the router,
 * and starts reads a few per event-loop turn so that they cannot starve writes.
 */
export async function startConsoleServer(opts: ConsoleServerOptions) {
  const app = next({ dev: opts.dev, dir: opts.dir, hostname: opts.hostname, port: opts.port });
  const handle = app.getRequestHandler();
  await app.prepare();
  const https = (serverEnv().NEXTAUTH_URL ?? "").startsWith("https:");
  const headers = baselineHeaders(https);
  const intake = new TurnIntake(READS_PER_TURN);
  const server = http.createServer((req, res) => {
    for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
    delete req.headers[PEER_HEADER];
    const peer = req.socket.remoteAddress;
    if (peer) req.headers[PEER_HEADER] = peer;
    const path = (req.url ?? "/").split("?")[0] ?? "/";
    try {
      decodeURIComponent(path);
    } catch {
      const api = path.startsWith("/api/");
      res.writeHead(400, { "content-type": api ? "application/json" : "text/plain; charset=utf-8" });
      res.end(api ? BAD_PATH : "Bad request: the path is not valid.\n");
      return;
    }
    const start = () => void handle(req, res);
    // Reads are taken in a few per turn; writes (a trigger, a cancel, sign-in) at once.
    if (req.method === "GET" || req.method === "HEAD") intake.add(start);
    else start();
  });
  const upgrade = app.getUpgradeHandler();
  server.on("upgrade", (req, socket, head) => void upgrade(req, socket, head));
  await new Promise<void>((resolve) => server.listen(opts.port, opts.hostname, resolve));
  return { server, app };
}
