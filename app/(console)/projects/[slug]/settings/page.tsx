import Link from "next/link";
import { EnvironmentRowActions } from "@/components/admin/environment-row-actions";
import { HostKeyCheck } from "@/components/admin/host-key-check";
import { ProjectKeys } from "@/components/admin/project-keys";
import { RenameProjectForm } from "@/components/admin/rename-project-form";
import { ProjectTabs } from "@/components/admin/tabs";
import { ConfigWarnings } from "@/components/config-warnings";
import { utc } from "@/components/when";
import { requirePageActor } from "@/lib/auth/current-actor";
import { getDb } from "@/lib/db/client";
import { listEnvironmentSettings } from "@/lib/environments/list-environment-settings";
import { getProjectAccess } from "@/lib/projects/get-project-access";
import { listProjectKeys } from "@/lib/ssh-keys/project-key-store";
import { orNotFound } from "@/lib/http/or-not-found";

export const dynamic = "force-dynamic";
export const metadata = { title: "Project settings · runops" };

export default async function ProjectSettingsPage({
  params,
  searchParams,
}: PageProps<"/projects/[slug]/settings">) {
  const { slug } = await params;
  const created = (await searchParams).created === "1";
  const actor = await requirePageActor();
  const db = getDb();
  const { project, canAdmin } = await orNotFound(getProjectAccess(db, actor, slug));
  const base = `/projects/${slug}`;
  const header = (
    <>
      <div className="crumbs">
        <Link href="/">Projects</Link> / <Link href={base}>{project.name}</Link> /
      </div>
      <h1>{project.name}</h1>
      <ProjectTabs slug={slug} canAdmin={canAdmin} current={`${base}/settings`} />
    </>
  );
  if (!canAdmin) {
    return (
      <main>
        {header}
        <p className="notice" role="status">
          Only project admins can change this project&apos;s settings.
        </p>
      </main>
    );
  }
  const { live, deleted } = await listEnvironmentSettings(db, actor, project.id);
  // Only shown once made (the Add environment form makes it on first use).
  const keys = await listProjectKeys(db, project.id);
  return (
    <main>
      {header}
      {created && (
        <p className="notice ok" role="status">
          Project created; you are its admin. Next: add an environment, then invite members.
        </p>
      )}
      <h2>General</h2>
      <RenameProjectForm projectId={project.id} name={project.name} slug={project.slug} />
      <div className="row">
        <h2>Environments</h2>
        <span className="spacer" />
        <Link className="button primary" href={`${base}/settings/environments/new`}>
          Add environment
        </Link>
      </div>
      <table aria-label="Environments">
        <thead>
          <tr>
            <th>Name</th>
            <th>Type</th>
            <th>Status</th>
            <th>Target</th>
            <th>Config</th>
            <th>Runs</th>
            <th>Actions</th>
          </tr>
        </thead>
        <tbody>
          {live.map((e) => (
            <tr key={e.id}>
              <td>
                <Link href={`${base}/environments/${e.name}`}>{e.name}</Link>
              </td>
              <td>{e.type}</td>
              <td>
                <span className={`badge ${e.status}`}>{e.status}</span>
              </td>
              <td>
                <code>{e.targetKind === "ssh" ? `${e.targetHost} ${e.targetPath}` : e.targetPath}</code>
                {e.pool !== "default" && <span className="muted"> pool {e.pool}</span>}
                {e.targetKind === "ssh" && <HostKeyCheck environmentId={e.id} pinned={e.targetHostKey} />}
              </td>
              <td>
                {e.deployedAt ? (
                  <>
                    {e.operationCount} operation{e.operationCount === 1 ? "" : "s"}
                    <br />
                    <span className="muted">deployed {utc(e.deployedAt)}</span>
                    {e.warnings.length > 0 && (
                      <details>
                        <summary>
                          {e.warnings.length} config warning{e.warnings.length === 1 ? "" : "s"}
                        </summary>
                        <ConfigWarnings warnings={e.warnings} />
                      </details>
                    )}
                  </>
                ) : (
                  <span className="muted">never deployed</span>
                )}
                {e.refused && (
                  <details className="error">
                    <summary>last refresh refused</summary>
                    <pre>{e.refused.error}</pre>
                  </details>
                )}
              </td>
              <td>
                {e.runCount}
                {e.activeRuns > 0 && <span className="badge in_progress"> {e.activeRuns} active</span>}
              </td>
              <td>
                <EnvironmentRowActions
                  environmentId={e.id}
                  name={e.name}
                  status={e.status}
                  activeRuns={e.activeRuns}
                />
              </td>
            </tr>
          ))}
          {live.length === 0 && (
            <tr>
              <td colSpan={7} className="muted">
                No environment yet.
              </td>
            </tr>
          )}
        </tbody>
      </table>
      {keys.length > 0 && <ProjectKeys projectId={project.id} keys={keys} />}
      {deleted.length > 0 && (
        <>
          <h2>Deleted environments</h2>
          <p className="muted">Kept so their runs and logs stay readable; they take no new runs.</p>
          <table aria-label="Deleted environments">
            <thead>
              <tr>
                <th>Name</th>
                <th>Type</th>
                <th>Target</th>
                <th>Deleted</th>
                <th>Runs kept</th>
              </tr>
            </thead>
            <tbody>
              {deleted.map((e) => (
                <tr key={e.id}>
                  <td>{e.name}</td>
                  <td>{e.type}</td>
                  <td>
                    <code>{e.targetPath}</code>
                  </td>
                  <td>{utc(e.deletedAt)}</td>
                  <td>
                    <Link href={`${base}/settings/environments/${e.id}/runs`}>
                      {e.runCount} run{e.runCount === 1 ? "" : "s"}
                    </Link>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </main>
  );
}
