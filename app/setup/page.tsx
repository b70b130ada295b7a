import { notFound } from "next/navigation";
import { setupAction } from "@/app/actions/new-accounts";
import { NewAccountForm } from "@/components/admin/new-account-form";
import { getDb } from "@/lib/db/client";
import { needsFirstStart } from "@/lib/users/needs-first-start";

export const dynamic = "force-dynamic";
export const metadata = { title: "Set up runops" };

/** First start: only while the database has no user at all; a 404 afterwards. */
export default async function SetupPage() {
  if (!(await needsFirstStart(getDb()))) notFound();
  return (
    <main className="signin">
      <h1>Welcome to runops</h1>
      <p className="muted">
        This console has no account yet. Create the first one: it will be the instance administrator, who
        creates projects and invites the team.
      </p>
      <NewAccountForm
        action={setupAction}
        submitLabel="Create administrator account"
        pendingLabel="Creating…"
        next="/"
      />
    </main>
  );
}
