import { writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatConfigWarning } from "../../../lib/config/types";
import type { Db } from "../../../lib/db/client";
import { refreshEnvironment } from "../../../lib/deployments/refresh-environment";
import { createEnvironment } from "../../../lib/environments/create-environment";
import { getEnvironment } from "../../../lib/environments/get-environment";
import { listEnvironmentSettings } from "../../../lib/environments/list-environment-settings";
import { startRun } from "../../../lib/runs/start-run";
import { BACKENDS, type Fixture, freshDatabase, seedFixture } from "../../support/harness";
import { ADMIN_CONFIG, makeTarget, refusal } from "./support";

/** `purge` says contributor, then admin: Upsun (and runops) keep admin. */
const TWICE = `
applications:
  web:
    source:
      root: app
    operations:
      purge:
        role: contributor
        commands:
          start: echo purged
        role: admin
`;

const PURGE_WARNING =
  ".upsun/config.yaml:8:9 and .upsun/config.yaml:11:9 applications.web.operations.purge.role: `role` is set twice (lines 8 and 11); the second (line 11) wins, as on Upsun";

describe.each(BACKENDS)("config warnings on %s", (provider) => {
  let db: Db;
  let fx: Fixture;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    const fresh = await freshDatabase(provider, "config_warnings");
    db = fresh.db;
    fx = await seedFixture(db, ADMIN_CONFIG);
    cleanup = async () => {
      fx.cleanup();
      await fresh.cleanup();
    };
  });
  afterAll(async () => cleanup?.());

  it("deploys a config with a key set twice, stores the warning and shows it where the deployment is shown", async () => {
    const target = makeTarget(TWICE);
    try {
      const { environment, deploy } = await createEnvironment(db, fx.admin, {
        projectId: fx.project.id,
        name: "twice",
        type: "development",
        targetPath: target.dir,
      });
      expect(deploy.ok).toBe(true);
      if (!deploy.ok) return;
      expect(deploy.config.operations.map((o) => `${o.name}:${o.role}`)).toEqual(["purge:admin"]);
      expect(deploy.warnings.map(formatConfigWarning)).toEqual([PURGE_WARNING]);

      const audited = await db.auditEvent.findFirstOrThrow({
        where: { action: "environment.deployed", target: "twice" },
      });
      expect(JSON.parse(audited.details ?? "{}")).toMatchObject({ operations: 1, warnings: [PURGE_WARNING] });

      // Stored with the deployment: read back from the database, not from the deploy's answer.
      const stored = await db.deployment.findUniqueOrThrow({ where: { id: deploy.deploymentId } });
      expect(JSON.parse(stored.config ?? "{}").warnings).toEqual(deploy.warnings);

      // Every member who sees the environment sees the warning beside its operations.
      const seen = await getEnvironment(db, fx.contributor, fx.project.slug, "twice");
      expect(seen.warnings.map(formatConfigWarning)).toEqual([PURGE_WARNING]);
      expect(seen.operations.map((o) => [o.name, o.role, o.allowed])).toEqual([["purge", "admin", false]]);
      const settings = await listEnvironmentSettings(db, fx.admin, fx.project.id);
      expect(settings.live.find((e) => e.name === "twice")).toMatchObject({
        operationCount: 1,
        warnings: deploy.warnings,
      });

      // The kept role is the one enforced: the contributor the first line named is refused.
      expect(
        await refusal(startRun(db, fx.contributor, { environmentId: environment.id, operation: "purge" })),
      ).toMatchObject({ status: 403, message: expect.stringContaining("requires admin") });

      // Fixed on disk and refreshed: the warning is gone with the deployment it belonged to.
      writeFileSync(
        path.join(target.dir, ".upsun", "config.yaml"),
        TWICE.replace("        role: contributor\n", ""),
      );
      const refreshed = await refreshEnvironment(db, fx.admin, environment.id);
      expect(refreshed.ok && refreshed.warnings).toEqual([]);
      expect((await getEnvironment(db, fx.admin, fx.project.slug, "twice")).warnings).toEqual([]);
    } finally {
      target.cleanup();
    }
  });

  it("lists the warnings after the errors of a refused refresh; the current deployment keeps its own", async () => {
    const target = makeTarget(TWICE);
    try {
      const { environment } = await createEnvironment(db, fx.admin, {
        projectId: fx.project.id,
        name: "twice-refused",
        type: "development",
        targetPath: target.dir,
      });
      writeFileSync(
        path.join(target.dir, ".upsun", "config.yaml"),
        TWICE.replace("role: admin", "role: owner"),
      );
      const refused = await refreshEnvironment(db, fx.admin, environment.id);
      expect(refused.ok).toBe(false);
      if (refused.ok) return;
      expect(refused.error.split("\n")).toEqual([
        '.upsun/config.yaml:11:15 applications.web.operations.purge.role: expected viewer, contributor or admin, got "owner"',
        `warning: ${PURGE_WARNING}`,
      ]);
      const seen = await getEnvironment(db, fx.admin, fx.project.slug, "twice-refused");
      expect(seen.failedDeploy?.error).toBe(refused.error);
      expect(seen.warnings.map(formatConfigWarning)).toEqual([PURGE_WARNING]);
    } finally {
      target.cleanup();
    }
  });

  it("reads a deployment stored before warnings existed as having none", async () => {
    const env = await db.environment.findUniqueOrThrow({ where: { id: fx.env.id } });
    const current = await db.deployment.findUniqueOrThrow({ where: { id: env.currentDeploymentId ?? "" } });
    const { warnings: _warnings, ...older } = JSON.parse(current.config ?? "{}") as Record<string, unknown>;
    await db.deployment.update({ where: { id: current.id }, data: { config: JSON.stringify(older) } });
    const seen = await getEnvironment(db, fx.admin, fx.project.slug, fx.env.name);
    expect(seen.warnings).toEqual([]);
    expect(seen.operations.map((o) => o.name)).toEqual(["hello", "wait", "purge"]);
  });
});
