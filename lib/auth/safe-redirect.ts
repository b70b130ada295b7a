/**
 * Where to send the browser after sign-in: a path on the console itself, or
 * `/`. The candidate is parsed with WHATWG `URL` against the console's origin
 * — the same parser the browser will use — so `//evil.example`,
 * `/\evil.example`, `http://…` elsewhere, `javascript:` and anything that
 * does not parse all end up at `/`. Never throws.
 */
export function safeRedirectPath(candidate: unknown, origin: string): string {
  if (typeof candidate !== "string" || candidate === "" || candidate.length > 2048) return "/";
  let base: URL;
  let url: URL;
  try {
    base = new URL(origin);
    url = new URL(candidate, base);
  } catch {
    return "/";
  }
  if (url.origin !== base.origin) return "/";
  const path = `${url.pathname}${url.search}${url.hash}`;
  // `/.//evil.example` is same-origin with the path `//evil.example`, which as a link is another host.
  if (!path.startsWith("/") || path.startsWith("//")) return "/";
  return path;
}

/** next-auth's `callbacks.redirect`: the same rule, as the absolute URL next-auth expects. */
export function safeRedirectUrl(candidate: unknown, baseUrl: string): string {
  const base = baseUrl.replace(/\/+$/, "");
  return `${base}${safeRedirectPath(candidate, base)}`;
}
