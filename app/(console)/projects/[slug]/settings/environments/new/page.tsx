import Link from "next/link";
import { CreateEnvironmentForm } from "@/components/admin/create-environment-form";
import { requirePageActor } from "@/lib/auth/current-actor";
import { getDb } from "@/lib/db/client";
import { getProjectAccess } from "@/lib/projects/get-project-access";
import { listProjectKeys } from "@/lib/ssh-keys/project-key-store";
import { orNotFound } from "@/lib/http/or-not-found";

export const dynamic = "force-dynamic";
export const metadata = { title: "Add environment · runops" };

export default async function NewEnvironmentPage({
  params,
}: PageProps<"/projects/[slug]/settings/environments/new">) {
  const { slug } = await params;
  const actor = await requirePageActor();
  const db = getDb();
  const { project, canAdmin } = await orNotFound(getProjectAccess(db, actor, slug));
  // None yet: the form makes the first one when an SSH target is chosen.
  const keys = canAdmin ? await listProjectKeys(db, project.id) : [];
  const base = `/projects/${slug}`;
  return (
    <main className="narrow">
      <div className="crumbs">
        <Link href="/">Projects</Link> / <Link href={base}>{project.name}</Link> /{" "}
        <Link href={`${base}/settings`}>Settings</Link> /
      </div>
      <h1>Add environment</h1>
      {canAdmin ? (
        <CreateEnvironmentForm projectId={project.id} slug={slug} publicKeys={keys.map((k) => k.publicKey)} />
      ) : (
        <p className="notice" role="status">
          Only project admins can add environments.
        </p>
      )}
    </main>
  );
}
