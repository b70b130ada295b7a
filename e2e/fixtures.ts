import {
  type Browser,
  type BrowserContext,
  type BrowserContextOptions,
  type Page,
  test as base,
  expect,
} from "@playwright/test";
import { ACCOUNTS, type Account, signIn, signInAsRoot } from "./support/accounts";

export { ACCOUNTS, type Account };

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

/**
 * A browser context of a test's own (a second user), watched for CSP violations like the default
 * one. Signed out unless `options` say otherwise: Playwright would give it the test's own
 * `storageState` (`signedInAs`).
 */
export async function newWatchedContext(browser: Browser, options: BrowserContextOptions = {}) {
  const context = await browser.newContext({ storageState: undefined, ...options });
  await watchCsp(context);
  return context;
}

type StorageState = Awaited<ReturnType<BrowserContext["storageState"]>>;

/** Signed-in browser states, one per account, made once per worker. */
export type Sessions = {
  /**
   * The account's cookies, from one sign-in through the form per worker. A
   * session is server-side and revocable (a sign-out, a password change), so
   * each use checks it is still live and signs in again if not. For `root`
   * this also performs the first start when nobody did yet.
   */
  storageState(account: Account): Promise<StorageState>;
};

type TestFixtures = {
  cspGuard: void;
  /** `test.use({ signedInAs: "admin" })`: the test's `page` starts signed in as that account, on its server. */
  signedInAs: Account | undefined;
  /** `await asUser("viewer")`: a page of its own browser context, signed in as that account. */
  asUser: (account: Account) => Promise<Page>;
};

/**
 * Playwright's `test`, with every page watched (the console runs under its
 * real CSP, and a test whose pages hit a violation fails), and signed-in
 * pages without going through the sign-in form in each test (that form is
 * tested in auth.spec.ts).
 */
export const test = base.extend<TestFixtures, { sessions: Sessions }>({
  sessions: [
    async ({ browser, playwright }, provide) => {
      const known = new Map<Account, StorageState>();
      const isLive = async (account: Account, storageState: StorageState) => {
        const request = await playwright.request.newContext({
          baseURL: ACCOUNTS[account].baseURL,
          storageState,
        });
        try {
          return (await request.get("/api/v1/me")).ok();
        } finally {
          await request.dispose();
        }
      };
      const signInOnce = async (account: Account) => {
        const { email, password, baseURL } = ACCOUNTS[account];
        // Signed out, whatever the test asking first is signed in as.
        const context = await browser.newContext({ baseURL, storageState: undefined });
        try {
          const page = await context.newPage();
          if (account === "root") await signInAsRoot(page);
          else await signIn(page, email, password);
          return await context.storageState();
        } finally {
          await context.close();
        }
      };
      await provide({
        async storageState(account) {
          const state = known.get(account);
          if (state && (await isLive(account, state))) return state;
          const fresh = await signInOnce(account);
          known.set(account, fresh);
          return fresh;
        },
      });
    },
    { scope: "worker" },
  ],
  signedInAs: [undefined, { option: true }],
  // An account lives on one of the two servers: its pages go there.
  baseURL: async ({ signedInAs, baseURL }, provide) => {
    await provide(signedInAs ? ACCOUNTS[signedInAs].baseURL : baseURL);
  },
  storageState: async ({ signedInAs, sessions, storageState }, provide) => {
    await provide(signedInAs ? await sessions.storageState(signedInAs) : storageState);
  },
  asUser: async ({ browser, sessions }, provide) => {
    const contexts: BrowserContext[] = [];
    await provide(async (account) => {
      const context = await newWatchedContext(browser, {
        baseURL: ACCOUNTS[account].baseURL,
        storageState: await sessions.storageState(account),
      });
      contexts.push(context);
      return context.newPage();
    });
    await Promise.all(contexts.map((context) => context.close()));
  },
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
