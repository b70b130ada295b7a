import path from "node:path";
import { defineConfig } from "vitest/config";

const alias = {
  "server-only": path.resolve(import.meta.dirname, "tests/support/server-only-stub.ts"),
  "@": import.meta.dirname,
};

export default defineConfig({
  resolve: { alias },
  test: {
    projects: [
      {
        resolve: { alias },
        test: { name: "unit", include: ["tests/unit/**/*.test.ts"], environment: "node" },
      },
      {
        resolve: { alias },
        test: {
          name: "integration",
          include: ["tests/integration/**/*.test.ts"],
          environment: "node",
          globalSetup: ["tests/support/global-setup.ts"],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          // Each file gets its own SQLite file and PostgreSQL database; files run in parallel.
          fileParallelism: true,
        },
      },
    ],
  },
});
