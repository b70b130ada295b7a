"use server";
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { getDb } from "@/lib/db/client";
import { addMember, addMemberInput } from "@/lib/members/add-member";
import { changeMemberRoles, changeMemberRolesInput } from "@/lib/members/change-member-roles";
import { describeRoles } from "@/lib/members/member-roles";
import { removeMember, removeMemberInput } from "@/lib/members/remove-member";
import { consoleActor, runForm } from "./admin-form";
import type { FormState } from "./admin-form-state";

/**
 * Members and roles. Server actions are public endpoints: each use case
 * authorizes the actor itself (project admin), and a refusal is audited.
 */
export async function addMemberAction(_prev: FormState, data: FormData): Promise<FormState> {
  return runForm(data, async (values) => {
    const m = await addMember(getDb(), await consoleActor(), addMemberInput.parse(values));
    revalidatePath("/", "layout");
    return { message: `${values.email?.trim().toLowerCase()} was added as ${describeRoles(m)}.` };
  });
}

export async function changeMemberRolesAction(_prev: FormState, data: FormData): Promise<FormState> {
  return runForm(data, async (values) => {
    const db = getDb();
    const actor = await consoleActor();
    const m = await changeMemberRoles(db, actor, changeMemberRolesInput.parse(values));
    revalidatePath("/", "layout");
    if (m.userId === actor.userId && m.projectRole !== "admin") {
      // Stepped down: this page (member administration) is no longer theirs; the member list still is.
      redirect(`/projects/${await projectSlug(m.projectId)}/members`);
    }
    return { message: `Roles saved: ${describeRoles(m)}. They apply from the member's next request.` };
  });
}

export async function removeMemberAction(_prev: FormState, data: FormData): Promise<FormState> {
  return runForm(data, async (values) => {
    const actor = await consoleActor();
    const m = await removeMember(getDb(), actor, removeMemberInput.parse(values));
    revalidatePath("/", "layout");
    // The member's page is gone: back to the list, or home for someone who left.
    redirect(m.userId === actor.userId ? "/" : `/projects/${await projectSlug(m.projectId)}/members`);
  });
}

async function projectSlug(projectId: string): Promise<string> {
  return (await getDb().project.findUniqueOrThrow({ where: { id: projectId }, select: { slug: true } })).slug;
}
