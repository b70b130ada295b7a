import {
  type Browser,
  type BrowserContext,
  type BrowserContextOptions,
  test as base,
  expect,
} from "@playwright/test";

/** CSP violations seen by any page of the current test. */
const violations: string[] = [];
const watched = new WeakSet<BrowserContext>();

/** Records every Content-Security-Policy violation of the context's pages: the suite fails on them. */
async function watchCsp(context: BrowserContext) {
  if (watched.has(context)) return;
  watched.add(context);
  await context.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (e) =>
      console.error(`[csp-violation] ${e.violatedDirective} blocked ${e.blockedURI || "inline"}`),
    );
  });
  context.on("console", (message) => {
    const text = message.text();
    // A page that frames the console reports the console's own `frame-ancestors 'none'` at work:
    // that is the policy holding (cross-site.spec.ts), not a page of the console breaking it.
    if (/frame-ancestors/.test(text)) return;
    if (text.includes("[csp-violation]") || /Content Security Policy/i.test(text)) {
      violations.push(`${message.location().url}: ${text}`);
    }
  });
}

/** A browser context of a test's own (a second user), watched for CSP violations like the default one. */
export async function newWatchedContext(browser: Browser, options: BrowserContextOptions = {}) {
  const context = await browser.newContext(options);
  await watchCsp(context);
  return context;
}

/**
 * Playwright's `test`, with every page watched: the console runs under its
 * real CSP, and a test whose pages hit a violation fails.
 */
export const test = base.extend<{ cspGuard: void }>({
  context: async ({ context }, provide) => {
    await watchCsp(context);
    await provide(context);
  },
  cspGuard: [
    async ({}, provide) => {
      violations.length = 0;
      await provide();
      expect(violations, "Content-Security-Policy violations").toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };
