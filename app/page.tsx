import Link from "next/link";
import { TopBar } from "@/components/top-bar";
import { requirePageActor } from "@/lib/auth/current-actor";
import { getDb } from "@/lib/db/client";
import { listProjects } from "@/lib/projects/list-projects";

export const dynamic = "force-dynamic";

export default async function ProjectsPage() {
  const actor = await requirePageActor();
  const projects = await listProjects(getDb(), actor);
  return (
    <>
      <TopBar actor={actor} />
      <main>
        <h1>Projects</h1>
        {projects.length === 0 ? (
          <p className="muted">You are not a member of any project yet.</p>
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
                    <Link href={`/projects/${p.slug}`}>{p.name}</Link>{" "}
                    <span className="muted">({p.slug})</span>
                  </td>
                  <td>project {p.projectRole}</td>
                  <td>{p.environmentCount}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </main>
    </>
  );
}
