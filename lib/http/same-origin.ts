import { serverEnv } from "../env";
/**
 * Whether a cookie-authenticated mutation comes from the console's own pages.
 * A browser sends `Origin` on every cross-origin request and on same-origin
 * POSTs; it must name the console (its public URL, NEXTAUTH_URL, or the host
 * the request was sent to). Without `Origin`, `Sec-Fetch-Site: same-origin`,
 * then a same-origin `Referer`, are accepted. Anything else — another port
 * or subdomain of the same site, `Origin: null`, no trustworthy header at
 * all — is refused: SameSite=Lax does not stop a same-site attacker.
 */
export function sameOriginVerdict(headers: Headers): { ok: true } | { ok: false; reason: string } {
  const allowed = allowedOrigins(headers);
  const origin = headers.get("origin");
  if (origin !== null) {
    return allowed.has(origin) ? { ok: true } : { ok: false, reason: `request from origin ${origin}` };
  }
  const site = headers.get("sec-fetch-site");
  if (site !== null) {
    return site === "same-origin" ? { ok: true } : { ok: false, reason: `request from a ${site} page` };
  }
  const referer = headers.get("referer");
  if (referer !== null) {
    const from = originOf(referer);
    return from && allowed.has(from)
      ? { ok: true }
      : { ok: false, reason: `request referred by ${from ?? "?"}` };
  }
  return { ok: false, reason: "request without Origin, Sec-Fetch-Site or Referer" };
}

function allowedOrigins(headers: Headers): Set<string> {
  const allowed = new Set<string>();
  const url = serverEnv().NEXTAUTH_URL;
  const configured = url ? originOf(url) : null;
  if (configured) allowed.add(configured);
  const host = headers.get("host");
  if (host) {
    allowed.add(`http://${host}`);
    allowed.add(`https://${host}`);
  }
  return allowed;
}

function originOf(url: string): string | null {
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
}
