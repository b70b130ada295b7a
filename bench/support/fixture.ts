/**
 * A benchmark's own project: a target directory whose `.upsun/config.yaml` defines the benchmark
 * commands as operations, environments deployed from it, and an API token of the demo admin,
 * all made with runops' own domain functions (loaded from the copy being measured, so they match
 * its schema) against the server's database.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { Db } from "../../lib/db/client";
import type { RunningServer } from "./server";
import type { PreparedSource } from "./source";

type DbModule = typeof import("../../lib/db/client");
type DeployModule = typeof import("../../lib/deployments/deploy-environment");
type IdsModule = typeof import("../../lib/ids");
type TokenModule = typeof import("../../lib/tokens/create-api-token");

/** A module of the measured copy (same code and schema as the server). */
function load<T>(source: PreparedSource, rel: string): Promise<T> {
  return import(pathToFileURL(path.join(source.dir, rel)).href) as Promise<T>;
}

export const ADMIN_EMAIL = "admin@example.com";
export const DEMO_PASSWORD = "runops-demo";
export const PROJECT = "bench";

export interface Fixture {
  db: Db;
  token: string;
  project: string;
  /** Environment name → its id and current deployment id. */
  environments: Record<string, { id: string; deploymentId: string }>;
  adminId: string;
  /** Where the operations run (`<target>/app`). */
  appDir: string;
  newId: () => string;
  close(): Promise<void>;
}

/**
 * `operations`: name → `commands.start`. Every environment gets the same config.
 * The demo admin (seeded by scripts/start.ts) is made admin of the project.
 */
export async function createFixture(
  server: RunningServer,
  source: PreparedSource,
  operations: Record<string, string>,
  environmentNames: string[] = ["main"],
): Promise<Fixture> {
  const target = path.join(server.tmpDir, "target");
  const appDir = path.join(target, "app");
  mkdirSync(path.join(target, ".upsun"), { recursive: true });
  mkdirSync(appDir, { recursive: true });
  const ops = Object.entries(operations)
    .map(([name, start]) => `      ${name}:\n        commands:\n          start: ${JSON.stringify(start)}\n`)
    .join("");
  writeFileSync(
    path.join(target, ".upsun", "config.yaml"),
    `applications:\n  bench:\n    type: "nodejs:20"\n    source:\n      root: app\n    operations:\n${ops}`,
  );

  const { createDb } = await load<DbModule>(source, "lib/db/client.ts");
  const { deployEnvironment } = await load<DeployModule>(source, "lib/deployments/deploy-environment.ts");
  const { newId } = await load<IdsModule>(source, "lib/ids.ts");
  const { createApiToken } = await load<TokenModule>(source, "lib/tokens/create-api-token.ts");

  const db = createDb(server.databaseUrl);
  const admin = await db.user.findUnique({ where: { email: ADMIN_EMAIL } });
  if (!admin) throw new Error(`the demo user ${ADMIN_EMAIL} was not seeded (RUNOPS_SEED_DEMO)`);
  const project = await db.project.create({ data: { id: newId(), slug: PROJECT, name: "Benchmarks" } });
  await db.membership.create({
    data: { id: newId(), projectId: project.id, userId: admin.id, projectRole: "admin" },
  });
  const environments: Fixture["environments"] = {};
  for (const name of environmentNames) {
    const env = await db.environment.create({
      data: { id: newId(), projectId: project.id, name, type: "development", targetPath: target },
    });
    const deployed = await deployEnvironment(db, env.id, admin.id);
    if (!deployed.ok) throw new Error(`the benchmark config does not deploy:\n${deployed.error}`);
    environments[name] = { id: env.id, deploymentId: deployed.deploymentId };
  }
  const { secret } = await createApiToken(
    db,
    { userId: admin.id, email: admin.email, name: admin.name, source: "api" },
    { name: "bench", expiresInDays: 1 },
  );
  return {
    db,
    token: secret,
    project: PROJECT,
    environments,
    adminId: admin.id,
    appDir,
    newId,
    close: () => db.$disconnect(),
  };
}
