import { serverEnv } from "../env";
/** The console's public origin: NEXTAUTH_URL when set (behind a proxy), else the request's. */
export function publicBaseUrl(req: Request): string {
  const configured = serverEnv().NEXTAUTH_URL;
  return (configured ? configured : new URL(req.url).origin).replace(/\/+$/, "");
}
