/**
 * The console's Content-Security-Policy: scripts only from this origin and
 * those carrying the request's nonce (Next.js puts it on its own inline
 * scripts); styles from this origin and inline ones (React's `style={…}`,
 * the virtualized log's positions, and <style> elements React itself inserts:
 * CSS cannot run script, and command output is never HTML); nothing may
 * frame the console; forms post only here. Development adds what the dev
 * server's hot reload needs.
 */
export function contentSecurityPolicy(nonce: string, dev: boolean): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src 'self'${dev ? " ws: wss:" : ""}`,
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}
