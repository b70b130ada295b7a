import type { Actor } from "../access/actor";
import type { Db } from "../db/client";
import { notFound } from "../errors";
import { originalEnvironmentName } from "./environment-input";
import { getEnvironmentAccess } from "./get-environment-access";

/**
 * A deleted environment of the project, for its kept run history (project
 * admins only). One statement: the environment, its project and the actor's
 * membership; `loaded` goes on to `listRuns`, which then reads no more of them.
 */
export async function getDeletedEnvironment(
  db: Db,
  actor: Actor,
  projectSlug: string,
  environmentId: string,
) {
  const loaded = await getEnvironmentAccess(db, actor, { environmentId });
  if (!loaded || loaded.project.slug !== projectSlug || !loaded.environment.deletedAt) {
    throw notFound("environment");
  }
  await loaded.access.require({ kind: "admin-project" }, "environment");
  const { environment, project } = loaded;
  return {
    project,
    environment: {
      ...environment,
      deletedAt: environment.deletedAt,
      originalName: originalEnvironmentName(environment.name),
    },
    loaded,
  };
}
