"use server";
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { getDb } from "@/lib/db/client";
import { createProject } from "@/lib/projects/create-project";
import { createProjectInput, renameProjectInput } from "@/lib/projects/project-input";
import { renameProject } from "@/lib/projects/rename-project";
import { consoleActor, runForm } from "./admin-form";
import type { FormState } from "./admin-form-state";

/** Instance admins: a new project, then its page (where environments and members are added). */
export async function createProjectAction(_prev: FormState, data: FormData): Promise<FormState> {
  let slug: string | null = null;
  const state = await runForm(data, async (values) => {
    const project = await createProject(getDb(), await consoleActor(), createProjectInput.parse(values));
    slug = project.slug;
    return { message: `Project ${project.name} created.` };
  });
  if (slug) {
    revalidatePath("/", "layout");
    // Outside runForm: redirect() works by throwing.
    redirect(`/projects/${slug}/settings?created=1`);
  }
  return state;
}

export async function renameProjectAction(_prev: FormState, data: FormData): Promise<FormState> {
  return runForm(data, async (values) => {
    const project = await renameProject(getDb(), await consoleActor(), renameProjectInput.parse(values));
    revalidatePath("/", "layout");
    return { message: `The project is now called ${project.name}.` };
  });
}
