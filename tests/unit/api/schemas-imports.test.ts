import path from "node:path";
import { build } from "esbuild";
import { expect, test } from "vitest";

const root = path.resolve(import.meta.dirname, "../../..");

/**
 * The CLI bundles lib/api/schemas.ts (cli/api-client.ts parses with it), so
 * its import graph must hold nothing but zod and pure schema modules: a
 * neutral-platform bundle fails on any Node built-in or unresolvable import
 * (server-only, Prisma's generated client), and the inputs list names every
 * module it would ship.
 */
test("lib/api/schemas.ts imports only zod and pure schema modules", async () => {
  const result = await build({
    entryPoints: [path.join(root, "lib/api/schemas.ts")],
    bundle: true,
    write: false,
    metafile: true,
    platform: "neutral",
    mainFields: ["module", "main"],
    logLevel: "silent",
  });
  const inputs = Object.keys(result.metafile.inputs);
  const ours = inputs.filter((file) => !file.startsWith("node_modules/zod/")).sort();
  expect(
    inputs.filter((file) => file.startsWith("node_modules/") && !file.startsWith("node_modules/zod/")),
  ).toEqual([]);
  // Other pure schema modules may join (run states, …); the database layer and generated client may not.
  expect(ours.filter((file) => !file.startsWith("lib/") || /^lib\/(db|auth|sessions)\//.test(file))).toEqual(
    [],
  );
  expect(ours).toEqual(
    expect.arrayContaining(["lib/api/schemas.ts", "lib/api/endpoints.ts", "lib/runs/run-view.ts"]),
  );
});
