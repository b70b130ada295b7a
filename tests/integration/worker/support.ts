import { hashPassword } from "../../../lib/auth/password";
import type { Actor } from "../../../lib/access/actor";
import type { DatabaseProvider, Db } from "../../../lib/db/client";
import { deployEnvironment } from "../../../lib/deployments/deploy-environment";
import { openContainment } from "../../../lib/executor/open-containment";
import { newId } from "../../../lib/ids";
import { storedLog, waitFor } from "../../support/harness";
import { processesMatching } from "../../support/processes";

/**
 * A sleep duration no other test uses, different per backend, so that
 * processesMatching(`sleep ${n}`) finds exactly the processes of one test.
 */
export const uniqueSleep = (base: number, provider: DatabaseProvider) =>
  provider === "sqlite" ? base : base + 10000;

export const runRow = (db: Db, runId: string) => db.run.findUniqueOrThrow({ where: { id: runId } });

/** Waits until the run's stored log contains `text`. */
export const waitForLogText = (db: Db, runId: string, text: string, ms = 15000) =>
  waitFor(
    async () => (await storedLog(db, runId)).text.includes(text),
    ms,
    `run ${runId} to print ${JSON.stringify(text)}`,
  );

/**
 * An admin and a project with one development environment whose target is
 * `targetPath` (a copy of a project checkout), deployed from its
 * .upsun/config.yaml.
 */
export async function seedTarget(db: Db, targetPath: string) {
  const u = await db.user.create({
    data: { id: newId(), email: "admin@test.dev", name: "admin", passwordHash: await hashPassword("secret") },
  });
  const admin: Actor = { userId: u.id, email: u.email, name: u.name, source: "console" };
  const project = await db.project.create({ data: { id: newId(), slug: `p${newId()}`, name: "Shop" } });
  await db.membership.create({
    data: { id: newId(), projectId: project.id, userId: admin.userId, projectRole: "admin" },
  });
  const env = await db.environment.create({
    data: { id: newId(), projectId: project.id, name: "feature-x", type: "development", targetPath },
  });
  const deployed = await deployEnvironment(db, env.id, admin.userId);
  if (!deployed.ok) throw new Error(deployed.error);
  return { admin, project, env };
}

/** Pids of running processes whose command line contains any of `needles` (after a file's tests: none). */
export const processesLeft = (needles: string[]) => needles.flatMap((n) => processesMatching(n));

/**
 * The safety net after a file's tests, once its workers are gone: ends every
 * process that runs of this database still have on the host and removes
 * their cgroups, so that a failing test leaves nothing behind.
 */
export async function endRunProcesses(db: Db) {
  const containment = openContainment({ RUNOPS_CONTAINMENT: "auto", RUNOPS_CGROUP_ROOT: undefined });
  const known = async (runId: string) => (await db.run.count({ where: { id: runId } })) > 0;
  for (const leftover of containment.leftovers()) {
    if (!(await known(leftover.runId))) continue;
    leftover.containment.kill();
    // A cgroup cannot be removed while it still holds a zombie: retry until init reaped them.
    await waitFor(
      () => {
        leftover.containment.release();
        return !containment.leftovers().some((l) => l.runId === leftover.runId);
      },
      3000,
      `the processes of run ${leftover.runId} to end`,
    ).catch(() => undefined);
  }
}
