import { notFound } from "next/navigation";
import { ZodError } from "zod";
import { type AuditQuery, AuditLog } from "@/components/admin/audit-log";
import { InstanceTabs } from "@/components/admin/tabs";
import { INSTANCE_AUDIT_ACTION_GROUPS } from "@/lib/audit/audit-actions";
import { listInstanceAudit } from "@/lib/audit/list-instance-audit";
import { requirePageActor } from "@/lib/auth/current-actor";
import { getDb } from "@/lib/db/client";
import { isInstanceAdmin } from "@/lib/access/instance-admin";

export const dynamic = "force-dynamic";
export const metadata = { title: "Instance audit log · runops" };

const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

export default async function InstanceAuditPage({ searchParams }: PageProps<"/admin/audit">) {
  const actor = await requirePageActor();
  const db = getDb();
  if (!(await isInstanceAdmin(db, actor))) notFound();
  const sp = await searchParams;
  const query: AuditQuery = {
    action: first(sp.action),
    actor: first(sp.actor),
    from: first(sp.from),
    to: first(sp.to),
    before: first(sp.before),
  };
  type Page = Awaited<ReturnType<typeof listInstanceAudit>> & { error?: string };
  const data: Page = await listInstanceAudit(db, actor, query).catch((e: unknown): Page => {
    if (e instanceof ZodError)
      return { events: [], actors: [], nextCursor: null, error: e.issues[0]?.message ?? "Invalid filters" };
    throw e;
  });
  return (
    <main>
      <h1>Administration</h1>
      <InstanceTabs current="/admin/audit" />
      <h2>Instance audit log</h2>
      <p className="muted">
        Events outside any project: sign-in failures, accounts, API tokens, first start, refused instance
        administration. Project events are in each project&apos;s own audit log.
      </p>
      <AuditLog
        basePath="/admin/audit"
        query={query}
        events={data.events}
        actors={data.actors}
        nextCursor={data.nextCursor}
        groups={INSTANCE_AUDIT_ACTION_GROUPS}
        error={data.error ?? null}
      />
    </main>
  );
}
