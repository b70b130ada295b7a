import type { Actor } from "../access/actor";
import { recordAudit } from "../audit/record-audit";
import type { Db } from "../db/client";
import { AppError } from "../errors";
import { newId } from "../ids";
import { isUniqueViolation } from "../db/errors";
import { requireInstanceAdmin } from "../access/instance-admin";
import { type CreateProjectInput, createProjectInput } from "./project-input";

const slugTaken = (slug: string) =>
  new AppError(409, "slug_taken", `Another project already uses the slug "${slug}"`, { field: "slug" });

/** An instance admin creates a project and becomes its first project admin. */
export async function createProject(db: Db, actor: Actor, input: CreateProjectInput) {
  await requireInstanceAdmin(db, actor, "project creation");
  const { name, slug } = createProjectInput.parse(input);
  if (await db.project.findUnique({ where: { slug }, select: { id: true } })) throw slugTaken(slug);
  try {
    return await db.$transaction(async (tx) => {
      const project = await tx.project.create({ data: { id: newId(), slug, name } });
      await tx.membership.create({
        data: { id: newId(), projectId: project.id, userId: actor.userId, projectRole: "admin" },
      });
      await recordAudit(tx, {
        projectId: project.id,
        actor,
        action: "project.created",
        target: slug,
        details: { name, slug, firstAdmin: actor.email },
      });
      return project;
    });
  } catch (error) {
    // Two admins choosing the same slug at the same moment: the second one loses.
    if (isUniqueViolation(error)) throw slugTaken(slug);
    throw error;
  }
}
