import Link from "next/link";
import { notFound } from "next/navigation";
import { InstanceTabs } from "@/components/admin/tabs";
import { utc } from "@/components/when";
import { requirePageActor } from "@/lib/auth/current-actor";
import { getDb } from "@/lib/db/client";
import { listAllProjects } from "@/lib/projects/list-all-projects";
import { isInstanceAdmin } from "@/lib/access/instance-admin";

export const dynamic = "force-dynamic";
export const metadata = { title: "Administration · runops" };

export default async function AdminPage() {
  const actor = await requirePageActor();
  const db = getDb();
  if (!(await isInstanceAdmin(db, actor))) notFound();
  const projects = await listAllProjects(db, actor);
  return (
    <main>
      <h1>Administration</h1>
      <InstanceTabs current="/admin" />
      <div className="row">
        <h2>Projects</h2>
        <span className="spacer" />
        <Link className="button primary" href="/admin/projects/new">
          New project
        </Link>
      </div>
      <table aria-label="All projects">
        <thead>
          <tr>
            <th>Project</th>
            <th>Slug</th>
            <th>Admins</th>
            <th>Members</th>
            <th>Environments</th>
            <th>Created</th>
          </tr>
        </thead>
        <tbody>
          {projects.map((p) => (
            <tr key={p.id}>
              <td>{p.isMember ? <Link href={`/projects/${p.slug}`}>{p.name}</Link> : p.name}</td>
              <td>
                <code>{p.slug}</code>
              </td>
              <td>{p.admins.join(", ") || "—"}</td>
              <td>{p.memberCount}</td>
              <td>{p.environmentCount}</td>
              <td>{utc(p.createdAt)}</td>
            </tr>
          ))}
          {projects.length === 0 && (
            <tr>
              <td colSpan={6} className="muted">
                No project yet: create the first one.
              </td>
            </tr>
          )}
        </tbody>
      </table>
      <p className="muted">
        Instance admins create projects and become their first admin. Opening a project still takes a
        membership: ask one of its admins.
      </p>
    </main>
  );
}
