import Link from "next/link";
import { utc } from "@/components/when";
import { requirePageActor } from "@/lib/auth/current-actor";
import { getDb } from "@/lib/db/client";
import { getDeletedEnvironment } from "@/lib/environments/get-deleted-environment";
import { listRuns } from "@/lib/runs/list-runs";
import { orNotFound } from "@/lib/http/or-not-found";

export const dynamic = "force-dynamic";
export const metadata = { title: "Deleted environment · runops" };

/** The run history a deleted environment kept, for project admins, newest first, by keyset pages. */
export default async function DeletedEnvironmentRunsPage({
  params,
  searchParams,
}: PageProps<"/projects/[slug]/settings/environments/[id]/runs">) {
  const { slug, id } = await params;
  const cursorParam = (await searchParams).cursor;
  const cursor = typeof cursorParam === "string" && cursorParam ? cursorParam : undefined;
  const actor = await requirePageActor();
  const db = getDb();
  const load = async () => {
    const { project, environment, loaded } = await getDeletedEnvironment(db, actor, slug, id);
    const page = await listRuns(db, actor, loaded, { cursor, limit: 50 });
    return { project, environment, page };
  };
  const { project, environment, page } = await orNotFound(load(), { forbidden: true });
  const base = `/projects/${slug}`;
  const here = `${base}/settings/environments/${id}/runs`;
  return (
    <main>
      <div className="crumbs">
        <Link href="/">Projects</Link> / <Link href={base}>{project.name}</Link> /{" "}
        <Link href={`${base}/settings`}>Settings</Link> /
      </div>
      <h1>
        {environment.originalName} <span className="badge cancelled">deleted</span>
      </h1>
      <p className="muted">
        {environment.type} · target <code>{environment.targetPath}</code> · deleted{" "}
        {utc(environment.deletedAt)}
      </p>
      <table aria-label="Runs">
        <thead>
          <tr>
            <th>Operation</th>
            <th>App</th>
            <th>State</th>
            <th>Result</th>
            <th>Who</th>
            <th>When</th>
          </tr>
        </thead>
        <tbody>
          {page.runs.map((r) => (
            <tr key={r.id}>
              <td>
                <Link href={`/runs/${r.id}`}>{r.operation}</Link>
              </td>
              <td>{r.worker ? `${r.app} › ${r.worker}` : r.app}</td>
              <td>
                <span className={`badge ${r.state}`}>{r.state.replace("_", " ")}</span>
              </td>
              <td>{r.result ? <span className={`badge ${r.result}`}>{r.result}</span> : "—"}</td>
              <td>{r.triggeredBy.name || r.triggeredBy.email}</td>
              <td>{utc(r.createdAt)}</td>
            </tr>
          ))}
          {page.runs.length === 0 && (
            <tr>
              <td colSpan={6} className="muted">
                This environment had no runs.
              </td>
            </tr>
          )}
        </tbody>
      </table>
      <p className="row">
        {cursor && <Link href={here}>Newest runs</Link>}
        {page.nextCursor && <Link href={`${here}?cursor=${page.nextCursor}`}>Older runs</Link>}
      </p>
    </main>
  );
}
