import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { inject } from "vitest";
import type { Actor } from "../../lib/access/actor";
import { hashPassword } from "../../lib/auth/password";
import { type DatabaseProvider, type Db, createDb } from "../../lib/db/client";
import { migrate } from "../../lib/db/migrate";
import { deployEnvironment } from "../../lib/deployments/deploy-environment";
import { newId } from "../../lib/ids";
import { createChunkStore } from "../../lib/logs/chunk-store";
import { runEvents } from "../../lib/events/process-channel";
import { openContainment } from "../../lib/executor/open-containment";
import { createLogger } from "../../lib/log/logger";
import { LogHub } from "../../lib/logs/log-hub";
import { readWholeLog } from "../../lib/logs/read-log";
import type { LogChunk } from "../../lib/logs/types";
import { queueKey } from "../../lib/runs/run-model";
import { RunWorker, type WorkerOptions } from "../../lib/worker/run-worker";
import { createDatabase } from "./postgres";

export const BACKENDS: DatabaseProvider[] = ["sqlite", "postgresql"];

/** A migrated, empty database of the given kind, private to the caller. */
export async function freshDatabase(provider: DatabaseProvider, name: string) {
  let url: string;
  let dir: string | null = null;
  if (provider === "sqlite") {
    dir = mkdtempSync(path.join(tmpdir(), "runops-test-"));
    url = `file:${path.join(dir, "test.db")}`;
  } else {
    url = await createDatabase(inject("postgresUrl"), name);
  }
  await migrate(url);
  const db = createDb(url);
  return {
    url,
    db,
    async cleanup() {
      await db.$disconnect();
      if (dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

export type Fixture = Awaited<ReturnType<typeof seedFixture>>;

/**
 * Users (admin / contributor / viewer / outsider), a project with one
 * development environment whose target holds `config` as .upsun/config.yaml,
 * deployed.
 */
export async function seedFixture(db: Db, config: string, environmentType = "development") {
  const target = mkdtempSync(path.join(tmpdir(), "runops-target-"));
  mkdirSync(path.join(target, ".upsun"));
  mkdirSync(path.join(target, "app"));
  writeFileSync(path.join(target, ".upsun", "config.yaml"), config);
  const passwordHash = await hashPassword("secret");
  const user = async (name: string): Promise<Actor> => {
    const u = await db.user.create({ data: { id: newId(), email: `${name}@test.dev`, name, passwordHash } });
    return { userId: u.id, email: u.email, name: u.name, source: "console" };
  };
  const admin = await user("admin");
  const contributor = await user("contributor");
  const viewer = await user("viewer");
  const outsider = await user("outsider");
  const project = await db.project.create({
    data: { id: newId(), slug: `p${newId()}`, name: "Test project" },
  });
  const all = { productionRole: "viewer", stagingRole: null, developmentRole: null } as Record<
    string,
    string | null
  >;
  all[`${environmentType}Role`] = "contributor";
  await db.membership.createMany({
    data: [
      { id: newId(), projectId: project.id, userId: admin.userId, projectRole: "admin" },
      { id: newId(), projectId: project.id, userId: contributor.userId, projectRole: "viewer", ...all },
      {
        id: newId(),
        projectId: project.id,
        userId: viewer.userId,
        projectRole: "viewer",
        productionRole: "viewer",
        stagingRole: "viewer",
        developmentRole: "viewer",
      },
    ],
  });
  const env = await db.environment.create({
    data: {
      id: newId(),
      projectId: project.id,
      name: "feature-x",
      type: environmentType,
      targetPath: target,
    },
  });
  const deployed = await deployEnvironment(db, env.id, admin.userId);
  if (!deployed.ok) throw new Error(deployed.error);
  return {
    target,
    appDir: path.join(target, "app"),
    project,
    env,
    admin,
    contributor,
    viewer,
    outsider,
    cleanup: () => rmSync(target, { recursive: true, force: true }),
  };
}

export const TEST_WORKER_OPTIONS: WorkerOptions = {
  RUNOPS_WORKER_CONCURRENCY: 4,
  RUNOPS_HEARTBEAT_MS: 500,
  RUNOPS_DEFAULT_TIMEOUT_SEC: 60,
  RUNOPS_CANCEL_GRACE_MS: 300,
  RUNOPS_STOP_COMMAND_TIMEOUT_MS: 2000,
  RUNOPS_LOG_CAP_BYTES: 1024 * 1024,
  RUNOPS_LOG_FLUSH_MS: 20,
  RUNOPS_LOG_FLUSH_BYTES: 64 * 1024,
  RUNOPS_LOG_BUFFER_BYTES: 1024 * 1024,
};

/**
 * A worker inside the test's process, on the test database and this process's
 * (in-memory) run event channel, with the host's real containment. The hub is
 * the console's side of the same channel. Tests of separate worker processes
 * use tests/support/worker-process.ts instead.
 */
export function startWorker(
  db: Db,
  provider: DatabaseProvider,
  url: string,
  options: Partial<WorkerOptions> = {},
) {
  const chunks = createChunkStore(url);
  const channel = runEvents();
  const inner = new RunWorker(
    {
      db,
      provider,
      chunks,
      channel,
      containment: openContainment({ RUNOPS_CONTAINMENT: "auto", RUNOPS_CGROUP_ROOT: undefined }),
      runAs: null,
      log: createLogger("worker", "silent"),
      name: "test-worker",
      version: "test",
    },
    { ...TEST_WORKER_OPTIONS, ...options },
  );
  const worker = {
    inner,
    stop: async (drainMs = 0) => {
      await inner.stop(drainMs);
      await chunks.close();
    },
  };
  return { worker, hub: new LogHub(db, channel), chunks, ready: inner.start() };
}

/** A config with one operation, `noop` on app `web`: what `insertRun` makes runs of. */
export const NOOP_CONFIG = `
applications:
  web:
    source:
      root: app
    operations:
      noop:
        commands:
          start: "true"
`;

/**
 * A run row of the fixture's `noop` operation on app `web`, made directly (no worker): for tests
 * of what is stored for a run. Complete and successful unless `state` says otherwise.
 */
export async function insertRun(
  db: Db,
  fx: Fixture,
  state: { state?: string; workerId?: string | null } = {},
): Promise<string> {
  const env = await db.environment.findUniqueOrThrow({ where: { id: fx.env.id } });
  const ended = (state.state ?? "complete") === "complete";
  const run = await db.run.create({
    data: {
      id: newId(),
      environmentId: env.id,
      deploymentId: env.currentDeploymentId ?? "",
      app: "web",
      operation: "noop",
      role: "contributor",
      command: "true",
      appDir: fx.appDir,
      queueKey: queueKey(env.id, "web", null, `noop-${newId()}`),
      state: state.state ?? "complete",
      result: ended ? "success" : null,
      workerId: state.workerId ?? null,
      source: "console",
      triggeredById: fx.admin.userId,
    },
  });
  return run.id;
}

/** Polls `check` until it returns a value (not undefined/false), or fails after `ms`. */
export async function waitFor<T>(
  check: () => Promise<T | undefined | false> | T | undefined | false,
  ms = 20000,
  what = "condition",
): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export async function waitForRunEnd(db: Db, runId: string, ms = 20000) {
  return waitFor(
    async () => {
      const run = await db.run.findUniqueOrThrow({ where: { id: runId } });
      return run.state === "complete" || run.state === "cancelled" ? run : undefined;
    },
    ms,
    `run ${runId} to end`,
  );
}

export async function storedLog(db: Db, runId: string) {
  const chunks: LogChunk[] = [];
  for await (const c of readWholeLog(db, runId)) chunks.push(c);
  return {
    chunks,
    text: Buffer.concat(chunks.map((c) => c.data)).toString("utf8"),
    byStream: (stream: string) =>
      Buffer.concat(chunks.filter((c) => c.stream === stream).map((c) => c.data)).toString("utf8"),
  };
}
