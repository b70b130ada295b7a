"use server";
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { serverAction } from "@/lib/http/server-action";
import { createProject } from "@/lib/projects/create-project";
import { createProjectInput, renameProjectInput } from "@/lib/projects/project-input";
import { renameProject } from "@/lib/projects/rename-project";

/** Instance admins: a new project, then its page (where environments and members are added). */
export const createProjectAction = serverAction(createProjectInput, async (input, { db, actor }) => {
  const project = await createProject(db, actor, input);
  revalidatePath("/", "layout");
  redirect(`/projects/${project.slug}/settings?created=1`);
});

export const renameProjectAction = serverAction(renameProjectInput, async (input, { db, actor }) => {
  const project = await renameProject(db, actor, input);
  revalidatePath("/", "layout");
  return { message: `The project is now called ${project.name}.` };
});
