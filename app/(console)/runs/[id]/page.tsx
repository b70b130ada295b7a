import type { Metadata } from "next";
import Link from "next/link";
import { RunPanel } from "@/components/run-panel";
import { getDb } from "@/lib/db/client";
import { originalEnvironmentName } from "@/lib/environments/environment-input";
import { runAgainOffer } from "@/lib/runs/run-again";
import { toRunView } from "@/lib/runs/run-view";
import { load } from "./load";

export const dynamic = "force-dynamic";

export async function generateMetadata({ params }: PageProps<"/runs/[id]">): Promise<Metadata> {
  const { id } = await params;
  const { data } = await load(id);
  return {
    title: `${data.run.operation} on ${originalEnvironmentName(data.run.environment.name)} · ${data.run.environment.project.name}`,
  };
}

export default async function RunPage({ params }: PageProps<"/runs/[id]">) {
  const { id } = await params;
  const { actor, data } = await load(id);
  const { run, canCancel } = data;
  const env = run.environment;
  const project = env.project;
  return (
    <main>
      <div className="crumbs">
        <Link href="/">Projects</Link> / <Link href={`/projects/${project.slug}`}>{project.name}</Link> /{" "}
        {env.deletedAt ? (
          // A deleted environment has no page: its runs stay reachable by id.
          <span>{originalEnvironmentName(env.name)} (deleted)</span>
        ) : (
          <Link href={`/projects/${project.slug}/environments/${env.name}`}>{env.name}</Link>
        )}{" "}
        /
      </div>
      <RunPanel initial={toRunView(run, { canCancel })} runAgain={await runAgainOffer(getDb(), actor, run)} />
    </main>
  );
}
