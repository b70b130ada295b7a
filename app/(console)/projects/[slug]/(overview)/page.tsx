import type { Metadata } from "next";
import Link from "next/link";
import { ProjectTabs } from "@/components/admin/tabs";
import { load } from "./load";

export const dynamic = "force-dynamic";

export async function generateMetadata({ params }: PageProps<"/projects/[slug]">): Promise<Metadata> {
  const { slug } = await params;
  const { data } = await load(slug);
  return { title: data.project.name };
}

export default async function ProjectPage({ params }: PageProps<"/projects/[slug]">) {
  const { slug } = await params;
  const { data } = await load(slug);
  return (
    <main>
      <div className="crumbs">
        <Link href="/">Projects</Link> /
      </div>
      <h1>{data.project.name}</h1>
      <ProjectTabs slug={slug} canAdmin={data.canAdmin} current={`/projects/${slug}`} />
      <div className="row">
        <h2>Environments</h2>
        <span className="spacer" />
        {data.canAdmin && (
          <Link className="button" href={`/projects/${slug}/settings/environments/new`}>
            Add environment
          </Link>
        )}
      </div>
      <table>
        <thead>
          <tr>
            <th>Name</th>
            <th>Type</th>
            <th>Status</th>
            <th>Your role</th>
          </tr>
        </thead>
        <tbody>
          {data.environments.map((e) => (
            <tr key={e.id}>
              <td>
                <Link href={`/projects/${slug}/environments/${e.name}`}>{e.name}</Link>
              </td>
              <td>{e.type}</td>
              <td>
                <span className={`badge ${e.status}`}>{e.status}</span>
              </td>
              <td>{e.role}</td>
            </tr>
          ))}
          {data.environments.length === 0 && (
            <tr>
              <td colSpan={4} className="muted">
                {data.canAdmin
                  ? "No environment yet: add one, pointing at a directory that holds .upsun/config.yaml."
                  : "You have no role on any environment of this project yet."}
              </td>
            </tr>
          )}
        </tbody>
      </table>
    </main>
  );
}
