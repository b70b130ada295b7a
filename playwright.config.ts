import { defineConfig } from "@playwright/test";

const PORT = Number(process.env.E2E_PORT ?? 3100);
export const BASE_URL = `http://127.0.0.1:${PORT}`;
/** A second console on an empty database (no demo, sign-up on): first start and the admin flows. */
const EMPTY_PORT = PORT + 1;
export const EMPTY_BASE_URL = `http://127.0.0.1:${EMPTY_PORT}`;

/**
 * The console as a user gets it: `npm start` (build, migrate, seed the demo,
 * serve) on a fresh SQLite file, driven in Debian's Chromium.
 */
export default defineConfig({
  testDir: "e2e",
  fullyParallel: false,
  workers: 1,
  timeout: 60_000,
  expect: { timeout: 15_000 },
  reporter: [["list"]],
  projects: [
    // The empty server's first start can happen only once, and only first: every spec waits
    // for it (a spec run alone too), and then signs in as the admin it made.
    { name: "first-start", testMatch: /first-start\.setup\.ts$/ },
    { name: "e2e", dependencies: ["first-start"] },
  ],
  use: {
    baseURL: BASE_URL,
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
  },
  // Started one after the other: the first builds the console, the second reuses the build.
  webServer: [
    {
      command: "rm -rf data/e2e.db data/e2e.db-* && npx tsx scripts/start.ts",
      url: `${BASE_URL}/signin`,
      timeout: 600_000,
      reuseExistingServer: false,
      stdout: "ignore",
      stderr: "pipe",
      env: {
        PORT: String(PORT),
        HOST: "127.0.0.1",
        DATABASE_URL: "file:./data/e2e.db",
        NEXTAUTH_URL: BASE_URL,
        NEXTAUTH_SECRET: "e2e-only-secret-not-for-production",
        RUNOPS_CANCEL_GRACE_MS: "2000",
        // When the suite ends, the worker drains briefly and exits.
        RUNOPS_WORKER_DRAIN_MS: "1000",
        RUNOPS_SEED_DEMO: "1",
        RUNOPS_ALLOW_SIGNUP: "0",
      },
    },
    {
      command: "rm -rf data/e2e-empty.db data/e2e-empty.db-* && npx tsx scripts/start.ts",
      url: `${EMPTY_BASE_URL}/setup`,
      timeout: 600_000,
      reuseExistingServer: false,
      stdout: "ignore",
      stderr: "pipe",
      env: {
        PORT: String(EMPTY_PORT),
        HOST: "127.0.0.1",
        DATABASE_URL: "file:./data/e2e-empty.db",
        NEXTAUTH_URL: EMPTY_BASE_URL,
        NEXTAUTH_SECRET: "e2e-only-secret-not-for-production",
        RUNOPS_CANCEL_GRACE_MS: "2000",
        // When the suite ends, the worker drains briefly and exits.
        RUNOPS_WORKER_DRAIN_MS: "1000",
        RUNOPS_SEED_DEMO: "0",
        RUNOPS_ALLOW_SIGNUP: "1",
      },
    },
  ],
});
