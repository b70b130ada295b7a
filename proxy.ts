import { type NextRequest, NextResponse } from "next/server";
import { contentSecurityPolicy } from "./lib/http/content-security-policy";

/**
 * Every page gets a fresh nonce and the CSP that names it, on the request
 * (Next.js reads it there to put the nonce on its inline scripts) and on the
 * response. The other security headers come from the console's HTTP server
 * (lib/console/http-server.ts), on every answer.
 */
export function proxy(request: NextRequest) {
  const nonce = Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString("base64");
  const csp = contentSecurityPolicy(nonce, process.env.NODE_ENV === "development");
  const headers = new Headers(request.headers);
  headers.set("x-nonce", nonce);
  headers.set("content-security-policy", csp);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set("content-security-policy", csp);
  return response;
}

export const config = {
  // Pages only: API answers are JSON or text, static files carry no script.
  matcher: [
    {
      source: "/((?!api/|_next/static|_next/image|favicon.ico).*)",
      missing: [{ type: "header", key: "next-router-prefetch" }],
    },
  ],
};
