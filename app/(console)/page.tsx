import Link from "next/link";
import { requirePageActor } from "@/lib/auth/current-actor";
import { getDb } from "@/lib/db/client";
import { listProjects } from "@/lib/projects/list-projects";
import { isInstanceAdmin } from "@/lib/access/instance-admin";

export const dynamic = "force-dynamic";

export default async function ProjectsPage() {
  const actor = await requirePageActor();
  const db = getDb();
  const projects = await listProjects(db, actor);
  const admin = await isInstanceAdmin(db, actor);
  return (
    <main>
      <div className="row">
        <h1>Projects</h1>
        <span className="spacer" />
        {admin && (
          <Link className="button primary" href="/admin/projects/new">
            New project
          </Link>
        )}
      </div>
      {projects.length === 0 ? (
        <p className="muted">
          {admin
            ? "You are not a member of any project yet: create one, then add its environments and invite your team."
            : "You are not a member of any project yet: ask a project admin to add you or send you an invitation link."}
        </p>
      ) : (
        <table>
          <thead>
            <tr>
              <th>Project</th>
              <th>Your role</th>
              <th>Environments</th>
            </tr>
          </thead>
          <tbody>
            {projects.map((p) => (
              <tr key={p.id}>
                <td>
                  <Link href={`/projects/${p.slug}`}>{p.name}</Link> <span className="muted">({p.slug})</span>
                </td>
                <td>project {p.projectRole}</td>
                <td>{p.environmentCount}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </main>
  );
}
