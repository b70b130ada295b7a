import Link from "next/link";
import { notFound } from "next/navigation";
import { MemberRolesForm } from "@/components/admin/member-roles-form";
import { RemoveMemberButton } from "@/components/admin/remove-member-button";
import { VIEWER_DEFAULTS } from "@/components/admin/role-defaults";
import { requirePageActor } from "@/lib/auth/current-actor";
import { getDb } from "@/lib/db/client";
import { listMembers } from "@/lib/members/list-members";
import { getProjectAccess } from "@/lib/projects/get-project-access";
import { orNotFound } from "@/lib/http/or-not-found";

export const dynamic = "force-dynamic";
export const metadata = { title: "Member roles · runops" };

export default async function MemberPage({ params }: PageProps<"/projects/[slug]/members/[memberId]">) {
  const { slug, memberId } = await params;
  const actor = await requirePageActor();
  const db = getDb();
  const { project, canAdmin } = await orNotFound(getProjectAccess(db, actor, slug));
  const member = canAdmin
    ? (await listMembers(db, actor, project.id)).find((m) => m.id === memberId)
    : undefined;
  if (!member) notFound();
  const base = `/projects/${slug}`;
  const isAdmin = member.projectRole === "admin";
  return (
    <main className="narrow">
      <div className="crumbs">
        <Link href="/">Projects</Link> / <Link href={base}>{project.name}</Link> /{" "}
        <Link href={`${base}/members`}>Members</Link> /
      </div>
      <h1>
        {member.name} <span className="muted">&lt;{member.email}&gt;</span>
      </h1>
      <h2>Roles</h2>
      <MemberRolesForm
        projectId={project.id}
        memberId={member.id}
        email={member.email}
        // An admin's per-type fields start from the viewer defaults, should they become a viewer.
        defaults={isAdmin ? { ...VIEWER_DEFAULTS, projectRole: "admin" } : member.roles}
      />
      <h2>Remove</h2>
      <RemoveMemberButton
        projectId={project.id}
        memberId={member.id}
        email={member.email}
        isYou={member.isYou}
      />
    </main>
  );
}
