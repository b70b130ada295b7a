import Link from "next/link";
import { ZodError } from "zod";
import { type AuditQuery, AuditLog } from "@/components/admin/audit-log";
import { ProjectTabs } from "@/components/admin/tabs";
import { AUDIT_ACTION_GROUPS } from "@/lib/audit/audit-actions";
import { listProjectAudit } from "@/lib/audit/list-project-audit";
import { requirePageActor } from "@/lib/auth/current-actor";
import { getDb } from "@/lib/db/client";
import { getProjectAccess } from "@/lib/projects/get-project-access";
import { orNotFound } from "@/lib/http/or-not-found";

export const dynamic = "force-dynamic";
export const metadata = { title: "Audit log · runops" };

const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

export default async function ProjectAuditPage({
  params,
  searchParams,
}: PageProps<"/projects/[slug]/audit">) {
  const { slug } = await params;
  const sp = await searchParams;
  const actor = await requirePageActor();
  const db = getDb();
  const { project, canAdmin } = await orNotFound(getProjectAccess(db, actor, slug));
  const base = `/projects/${slug}`;
  const query: AuditQuery = {
    action: first(sp.action),
    actor: first(sp.actor),
    from: first(sp.from),
    to: first(sp.to),
    before: first(sp.before),
  };
  type Page = Awaited<ReturnType<typeof listProjectAudit>> & { error?: string };
  const data: Page | null = canAdmin
    ? await listProjectAudit(db, actor, project.id, query).catch((e: unknown): Page => {
        if (e instanceof ZodError) {
          return {
            events: [],
            actors: [],
            nextCursor: null,
            error: e.issues[0]?.message ?? "Invalid filters",
          };
        }
        throw e;
      })
    : null;
  return (
    <main>
      <div className="crumbs">
        <Link href="/">Projects</Link> / <Link href={base}>{project.name}</Link> /
      </div>
      <h1>{project.name}</h1>
      <ProjectTabs slug={slug} canAdmin={canAdmin} current={`${base}/audit`} />
      <h2>Audit log</h2>
      {data ? (
        <>
          <p className="muted">
            Who did what, when and from where in this project: runs, members and roles, environments,
            deployments, refused attempts. Newest first; times in UTC.
          </p>
          <AuditLog
            basePath={`${base}/audit`}
            query={query}
            events={data.events}
            actors={data.actors}
            nextCursor={data.nextCursor}
            groups={AUDIT_ACTION_GROUPS}
            error={data.error ?? null}
          />
        </>
      ) : (
        <p className="notice" role="status">
          Only project admins can read the audit log.
        </p>
      )}
    </main>
  );
}
