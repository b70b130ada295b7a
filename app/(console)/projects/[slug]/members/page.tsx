import Link from "next/link";
import { AddMemberForm } from "@/components/admin/add-member-form";
import { InvitationForm } from "@/components/admin/invitation-form";
import { RevokeInvitationButton } from "@/components/admin/revoke-invitation-button";
import { ProjectTabs } from "@/components/admin/tabs";
import { utc } from "@/components/when";
import { ENVIRONMENT_TYPES } from "@/lib/access/roles";
import { rolesByType } from "@/lib/members/member-roles";
import { requirePageActor } from "@/lib/auth/current-actor";
import { getDb } from "@/lib/db/client";
import { listPendingInvitations } from "@/lib/invitations/list-invitations";
import { listMembers } from "@/lib/members/list-members";
import { getProjectAccess } from "@/lib/projects/get-project-access";
import { orNotFound } from "@/lib/http/or-not-found";

export const dynamic = "force-dynamic";
export const metadata = { title: "Members · runops" };

export default async function MembersPage({ params }: PageProps<"/projects/[slug]/members">) {
  const { slug } = await params;
  const actor = await requirePageActor();
  const db = getDb();
  const { project, canAdmin } = await orNotFound(getProjectAccess(db, actor, slug));
  const members = await listMembers(db, actor, project.id);
  const invitations = canAdmin ? await listPendingInvitations(db, actor, project.id) : [];
  const base = `/projects/${slug}`;
  return (
    <main>
      <div className="crumbs">
        <Link href="/">Projects</Link> / <Link href={base}>{project.name}</Link> /
      </div>
      <h1>{project.name}</h1>
      <ProjectTabs slug={slug} canAdmin={canAdmin} current={`${base}/members`} />
      <h2>Members</h2>
      <p className="muted">
        Project admins are admin on every environment. Viewers have one role per environment type; none means
        they do not see those environments. Changes apply from the member&apos;s next request.
      </p>
      <table aria-label="Members">
        <thead>
          <tr>
            <th>Member</th>
            <th>Project role</th>
            {ENVIRONMENT_TYPES.map((t) => (
              <th key={t}>{t}</th>
            ))}
            {canAdmin && <th />}
          </tr>
        </thead>
        <tbody>
          {members.map((m) => (
            <tr key={m.id}>
              <td>
                {m.name} <span className="muted">&lt;{m.email}&gt;</span>
                {m.isYou && <span className="badge">you</span>}
              </td>
              <td>{m.projectRole}</td>
              {ENVIRONMENT_TYPES.map((t) => (
                <td key={t} className={rolesByType(m.roles)[t] === "none" ? "muted" : undefined}>
                  {rolesByType(m.roles)[t]}
                </td>
              ))}
              {canAdmin && (
                <td>
                  <Link href={`${base}/members/${m.id}`} aria-label={`Edit roles of ${m.email}`}>
                    Edit
                  </Link>
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
      {canAdmin && (
        <>
          <h2>Pending invitations</h2>
          <table aria-label="Pending invitations">
            <thead>
              <tr>
                <th>For</th>
                <th>Roles</th>
                <th>Created by</th>
                <th>Expires</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {invitations.map((i) => (
                <tr key={i.id}>
                  <td>{i.email ?? "anyone with the link"}</td>
                  <td>{i.roles}</td>
                  <td>{i.createdBy}</td>
                  <td>{utc(i.expiresAt)}</td>
                  <td>
                    <RevokeInvitationButton projectId={project.id} invitationId={i.id} />
                  </td>
                </tr>
              ))}
              {invitations.length === 0 && (
                <tr>
                  <td colSpan={5} className="muted">
                    No pending invitation.
                  </td>
                </tr>
              )}
            </tbody>
          </table>
          <h2>Add people</h2>
          <div className="columns">
            <AddMemberForm projectId={project.id} />
            <InvitationForm projectId={project.id} />
          </div>
        </>
      )}
    </main>
  );
}
