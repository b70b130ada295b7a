import type { Metadata } from "next";
import Link from "next/link";
import { cache } from "react";
import { RunPanel } from "@/components/run-panel";
import { requirePageActor } from "@/lib/auth/current-actor";
import { getDb } from "@/lib/db/client";
import { originalEnvironmentName } from "@/lib/environments/environment-input";
import { getRun } from "@/lib/runs/get-run";
import { runAgainOffer } from "@/lib/runs/run-again";
import { toRunView } from "@/lib/runs/run-view";
import { orNotFound } from "@/lib/http/or-not-found";

export const dynamic = "force-dynamic";

/** The page and its title read the run once per request. */
const load = cache(async (id: string) => {
  const actor = await requirePageActor();
  const data = await orNotFound(getRun(getDb(), actor, id));
  return { actor, data };
});

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
