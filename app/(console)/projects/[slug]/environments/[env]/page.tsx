import type { Metadata } from "next";
import Link from "next/link";
import { EnvironmentMenu } from "@/components/environment/environment-menu";
import type { OperationChoice } from "@/components/environment/operation-choice";
import { OperationTable } from "@/components/environment/operation-table";
import { RunDialogProvider } from "@/components/environment/run-dialog";
import { RunHistory } from "@/components/run-history";
import { utc } from "@/components/when";
import { ConfigWarnings } from "@/components/config-warnings";
import { getDb } from "@/lib/db/client";
import { listRunTriggerers } from "@/lib/runs/list-run-triggerers";
import { load } from "./load";

export const dynamic = "force-dynamic";

export async function generateMetadata({
  params,
}: PageProps<"/projects/[slug]/environments/[env]">): Promise<Metadata> {
  const { slug, env: envName } = await params;
  const { data } = await load(slug, envName);
  return { title: `${data.environment.name} · ${data.project.name}` };
}

export default async function EnvironmentPage({ params }: PageProps<"/projects/[slug]/environments/[env]">) {
  const { slug, env: envName } = await params;
  const { data } = await load(slug, envName);
  const { environment: env } = data;
  const operations: OperationChoice[] = data.operations.map((op) => ({
    app: op.app,
    worker: op.worker,
    name: op.name,
    role: op.role,
    start: op.start,
    allowed: op.allowed,
    reason: op.reason,
  }));
  return (
    <main>
      <div className="crumbs">
        <Link href="/">Projects</Link> / <Link href={`/projects/${slug}`}>{data.project.name}</Link> /
      </div>
      <RunDialogProvider environmentId={env.id} operations={operations}>
        <div className="row">
          <h1>{env.name}</h1>
          <span className="badge">{env.type}</span>
          <span className={`badge ${env.status}`}>{env.status}</span>
          <span className="spacer" />
          <EnvironmentMenu
            environmentId={env.id}
            projectSlug={slug}
            envName={env.name}
            canAdmin={data.canAdmin}
            status={env.status}
          />
        </div>
        <p className="muted">
          Your role here: <strong>{data.role}</strong>
          {data.deployedAt ? <> · config deployed {utc(data.deployedAt)}</> : null}
          {" · "}target <code>{env.targetPath}</code>
        </p>
        {env.status === "paused" && (
          <p className="notice" role="status">
            This environment is paused: new runs are refused until a project admin resumes it.
          </p>
        )}
        {data.failedDeploy && (
          <div className="notice" role="status">
            The last refresh of this environment&apos;s config was refused; the previous deployment stays
            current.
            {"\n"}
            {data.failedDeploy.error}
          </div>
        )}
        <h2>Operations</h2>
        <ConfigWarnings warnings={data.warnings} />
        <OperationTable operations={operations} />
      </RunDialogProvider>
      <h2>Run history</h2>
      <RunHistory
        environmentId={env.id}
        projectSlug={slug}
        envName={env.name}
        operationNames={[...new Set(data.operations.map((o) => o.name))]}
        people={await listRunTriggerers(getDb(), env.id)}
      />
    </main>
  );
}
