import { rmSync, symlinkSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../../lib/db/client";
import { deployEnvironment } from "../../../lib/deployments/deploy-environment";
import { startRun } from "../../../lib/runs/start-run";
import {
  BACKENDS,
  type Fixture,
  freshDatabase,
  seedFixture,
  startWorker,
  storedLog,
  waitForRunEnd,
} from "../../support/harness";

const CONFIG = `
applications:
  web:
    source:
      root: app
    operations:
      where:
        commands:
          start: pwd
`;

describe.each(BACKENDS)("an application directory that is a symlink out of the target, on %s", (provider) => {
  let db: Db;
  let fx: Fixture;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    const fresh = await freshDatabase(provider, "symlink");
    db = fresh.db;
    fx = await seedFixture(db, CONFIG);
    const { worker, ready } = startWorker(db, provider, fresh.url);
    await ready;
    cleanup = async () => {
      await worker.stop();
      fx.cleanup();
      await fresh.cleanup();
    };
  });
  afterAll(async () => cleanup?.());

  it("is refused right before the spawn, and the deploy that would take it is refused too", async () => {
    // Deployed while `app` was a directory; then it is swapped for a link to /.
    rmSync(fx.appDir, { recursive: true, force: true });
    symlinkSync("/", fx.appDir);
    const run = await startRun(db, fx.admin, { environmentId: fx.env.id, operation: "where" });
    const done = await waitForRunEnd(db, run.id);
    expect(done).toMatchObject({ state: "complete", result: "failure" });
    expect(done.reason).toContain(`resolves to /, outside the target ${path.resolve(fx.target)}`);
    // Nothing ran: `pwd` printed nothing.
    expect((await storedLog(db, run.id)).byStream("stdout")).toBe("");

    const before = (await db.environment.findUniqueOrThrow({ where: { id: fx.env.id } })).currentDeploymentId;
    const deploy = await deployEnvironment(db, fx.env.id, fx.admin.userId);
    expect(deploy.ok).toBe(false);
    if (!deploy.ok) expect(deploy.error).toContain("applications.web.source.root:");
    // The previous deployment stays current.
    expect((await db.environment.findUniqueOrThrow({ where: { id: fx.env.id } })).currentDeploymentId).toBe(
      before,
    );
  });
});
