import { z } from "zod";
import type { Actor } from "../access/actor";
import { loadAccess } from "../access/access";
import { recordAudit } from "../audit/record-audit";
import type { Db } from "../db/client";
import { AppError } from "../errors";
import { deletedEnvironmentName } from "./environment-input";
import { findLiveEnvironment } from "./find-live-environment";

const ACTIVE_STATES = ["pending", "in_progress"];

/**
 * A project admin deletes an environment. Refused while any of its runs is
 * pending or in progress. Otherwise the row is kept (soft delete, decision
 * 0004): it is marked deleted, paused, and renamed so the name is free again,
 * and its runs, logs and deployments stay reachable for project admins.
 */
export async function deleteEnvironment(db: Db, actor: Actor, environmentId: string) {
  const env = await findLiveEnvironment(db, z.string().min(1).parse(environmentId));
  await (await loadAccess(db, actor, env.projectId)).require({ kind: "admin-project" }, "environment");
  return db.$transaction(async (tx) => {
    const active = await tx.run.count({ where: { environmentId: env.id, state: { in: ACTIVE_STATES } } });
    if (active > 0) {
      const runs = active === 1 ? "1 run is" : `${active} runs are`;
      throw new AppError(
        409,
        "environment_busy",
        `${runs} pending or in progress on ${env.name}: cancel ${active === 1 ? "it" : "them"} or wait for the end, then delete`,
      );
    }
    const deleted = await tx.environment.update({
      where: { id: env.id },
      data: { deletedAt: new Date(), status: "paused", name: deletedEnvironmentName(env.name, env.id) },
    });
    const runCount = await tx.run.count({ where: { environmentId: env.id } });
    await recordAudit(tx, {
      projectId: env.projectId,
      actor,
      action: "environment.deleted",
      target: env.name,
      details: { environmentId: env.id, type: env.type, targetPath: env.targetPath, runsKept: runCount },
    });
    return deleted;
  });
}
