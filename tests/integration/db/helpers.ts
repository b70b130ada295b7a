// Shared by the tests/integration/db tests.
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { inject } from "vitest";
import type { Db } from "../../../lib/db/client.ts";
import { migrationsDirectory } from "../../../lib/db/migrate.ts";
import type { DatabaseProvider } from "../../../lib/db/url.ts";
import { createDatabase, testPostgres } from "../../support/postgres.ts";

/**
 * The PostgreSQL URL a vitest globalSetup provided as `postgresUrl`, if any.
 * Read without augmenting vitest's ProvidedContext (the project config owns
 * that declaration), hence the narrow cast.
 */
function providedPostgresUrl(): string | undefined {
  try {
    const value = (inject as unknown as (key: string) => unknown)("postgresUrl");
    return typeof value === "string" && value !== "" ? value : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A PostgreSQL server for this test file ($RUNOPS_TEST_PG_URL, the
 * globalSetup's, or one started now) and a function making fresh databases on it.
 */
export async function postgresForTests(): Promise<{
  newDatabase(name: string): Promise<string>;
  stop(): Promise<void>;
}> {
  const server = await testPostgres(providedPostgresUrl());
  return { newDatabase: (name) => createDatabase(server.url, name), stop: () => server.stop() };
}

const tempDirs: string[] = [];

/** A fresh temp dir, removed by removeTempDirs(). */
export function tempDir(prefix = "runops-db-test-"): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  tempDirs.push(dir);
  return dir;
}

export function removeTempDirs(): void {
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** A writable copy of the committed migrations of a provider. */
export function copyOfMigrations(provider: DatabaseProvider): string {
  const dir = path.join(tempDir(), "migrations");
  cpSync(migrationsDirectory(provider), dir, { recursive: true });
  return dir;
}

/** One row in each table up to Run; returns their ids. */
export async function createRunFixture(db: Db, suffix: string) {
  const user = await db.user.create({
    data: { id: `u_${suffix}`, email: `${suffix}@example.test`, name: "Ada", passwordHash: "x" },
  });
  const project = await db.project.create({ data: { id: `p_${suffix}`, slug: `p-${suffix}`, name: "P" } });
  await db.membership.create({
    data: { id: `m_${suffix}`, projectId: project.id, userId: user.id, projectRole: "admin" },
  });
  const environment = await db.environment.create({
    data: { id: `e_${suffix}`, projectId: project.id, name: "main", type: "production", targetPath: "/srv" },
  });
  const deployment = await db.deployment.create({
    data: { id: `d_${suffix}`, environmentId: environment.id, ok: true, config: "{}" },
  });
  const run = await db.run.create({
    data: {
      id: `r_${suffix}`,
      environmentId: environment.id,
      deploymentId: deployment.id,
      app: "app",
      operation: "migrate",
      role: "admin",
      command: "true",
      appDir: "/srv/app",
      queueKey: `${environment.id}:app::migrate`,
      state: "queued",
      source: "api",
      triggeredById: user.id,
    },
  });
  return { user, project, environment, deployment, run };
}
