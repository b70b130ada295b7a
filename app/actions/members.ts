"use server";
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import type { Db } from "@/lib/db/client";
import { serverAction } from "@/lib/http/server-action";
import { addMember, addMemberInput } from "@/lib/members/add-member";
import { changeMemberRoles, changeMemberRolesInput } from "@/lib/members/change-member-roles";
import { memberRolesOf } from "@/lib/access/member-roles";
import { describeRoles } from "@/lib/members/member-roles";
import { removeMember, removeMemberInput } from "@/lib/members/remove-member";

/** Members and roles: each use case authorizes (project admin), and a refusal is audited. */
export const addMemberAction = serverAction(addMemberInput, async (input, { db, actor }) => {
  const m = await addMember(db, actor, input);
  revalidatePath("/", "layout");
  return {
    message: `${String(input.email).trim().toLowerCase()} was added as ${describeRoles(memberRolesOf(m))}.`,
  };
});

export const changeMemberRolesAction = serverAction(changeMemberRolesInput, async (input, { db, actor }) => {
  const m = await changeMemberRoles(db, actor, input);
  revalidatePath("/", "layout");
  if (m.userId === actor.userId && m.projectRole !== "admin") {
    // Stepped down: this page (member administration) is no longer theirs; the member list still is.
    redirect(`/projects/${await projectSlug(db, m.projectId)}/members`);
  }
  return {
    message: `Roles saved: ${describeRoles(memberRolesOf(m))}. They apply from the member's next request.`,
  };
});

export const removeMemberAction = serverAction(removeMemberInput, async (input, { db, actor }) => {
  const m = await removeMember(db, actor, input);
  revalidatePath("/", "layout");
  // The member's page is gone: back to the list, or home for someone who left.
  redirect(m.userId === actor.userId ? "/" : `/projects/${await projectSlug(db, m.projectId)}/members`);
});

async function projectSlug(db: Db, projectId: string): Promise<string> {
  return (await db.project.findUniqueOrThrow({ where: { id: projectId }, select: { slug: true } })).slug;
}
