import path from "node:path";
import { build } from "esbuild";
import { expect, test } from "vitest";

const root = path.resolve(import.meta.dirname, "../../..");

/**
 * bin/runops.mjs runs the CLI as plain node from this bundle, outside Next:
 * nothing server-side may be in it (Prisma, server-only, the database code).
 * The API's schemas are in it on purpose: answers are parsed with them.
 */
test("the CLI's bundle holds cli/, the API's pure schemas and zod, nothing else", async () => {
  const result = await build({
    entryPoints: [path.join(root, "cli/main.ts")],
    absWorkingDir: root,
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "node",
    outdir: "/nonexistent",
    write: false,
    metafile: true,
    logLevel: "silent",
  });
  const inputs = Object.keys(result.metafile.inputs);
  expect(inputs.filter((f) => f.includes("node_modules/") && !f.startsWith("node_modules/zod/"))).toEqual([]);
  const outside = inputs.filter((f) => !f.startsWith("cli/") && !f.startsWith("node_modules/"));
  // No database, HTTP-handling or access-check code: those are the server's.
  expect(outside.filter((f) => /^lib\/(db|http|auth|worker|executor)\//.test(f))).toEqual([]);
  expect(outside).toContain("lib/api/schemas.ts");
  expect(outside).not.toContain("lib/runs/list-runs.ts");
  expect(outside).not.toContain("lib/access/access.ts");
});
