import Link from "next/link";
import { notFound } from "next/navigation";
import { CreateProjectForm } from "@/components/admin/create-project-form";
import { requirePageActor } from "@/lib/auth/current-actor";
import { getDb } from "@/lib/db/client";
import { isInstanceAdmin } from "@/lib/access/instance-admin";

export const dynamic = "force-dynamic";
export const metadata = { title: "New project · runops" };

export default async function NewProjectPage() {
  const actor = await requirePageActor();
  if (!(await isInstanceAdmin(getDb(), actor))) notFound();
  return (
    <main className="narrow">
      <div className="crumbs">
        <Link href="/admin">Administration</Link> /
      </div>
      <h1>New project</h1>
      <p className="muted">You become its first project admin; then add environments and members.</p>
      <CreateProjectForm />
    </main>
  );
}
