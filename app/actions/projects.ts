"use server";
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { serverAction } from "@/lib/http/server-action";
import { createProject } from "@/lib/projects/create-project";
import { createProjectInput, renameProjectInput } from "@/lib/projects/project-input";
import { renameProject } from "@/lib/projects/rename-project";
import { confirmKeyRotation } from "@/lib/ssh-keys/confirm-key-rotation";
import { getProjectKeys } from "@/lib/ssh-keys/get-project-keys";
import { rotateProjectKey } from "@/lib/ssh-keys/rotate-project-key";

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

const projectIdInput = z.object({ projectId: z.string().min(1) });

/** Starts a key rotation: a next key to add to the hosts; both are offered until confirmed. */
export const rotateProjectKeyAction = serverAction(projectIdInput, async ({ projectId }, { db, actor }) => {
  const next = await rotateProjectKey(db, actor, projectId);
  revalidatePath("/", "layout");
  return {
    message: `New key ${next.fingerprint}: add it to every host's authorized_keys, then confirm the rotation.`,
  };
});

/** Ends a rotation: the old key is no longer offered (remove it from the hosts). */
export const confirmKeyRotationAction = serverAction(projectIdInput, async ({ projectId }, { db, actor }) => {
  const { fingerprint } = await confirmKeyRotation(db, actor, projectId);
  revalidatePath("/", "layout");
  return { message: `Rotation done: runops now offers only ${fingerprint}.` };
});

/** The project's public SSH keys, the first one made now if it has none (an SSH target was chosen). */
export const projectPublicKeysAction = serverAction(projectIdInput, async ({ projectId }, { db, actor }) => {
  const keys = await getProjectKeys(db, actor, projectId);
  return { result: keys.map((k) => k.publicKey) };
});
