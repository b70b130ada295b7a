import Link from "next/link";
import { notFound, redirect } from "next/navigation";
import { signUpAction } from "@/app/actions/new-accounts";
import { NewAccountForm } from "@/components/admin/new-account-form";
import { getDb } from "@/lib/db/client";
import { serverEnv } from "@/lib/env";
import { needsFirstStart } from "@/lib/users/needs-first-start";

export const dynamic = "force-dynamic";
export const metadata = { title: "Create an account · runops" };

/** Self sign-up: a 404 unless RUNOPS_ALLOW_SIGNUP=1 (invitation links work either way). */
export default async function SignUpPage() {
  if (serverEnv().RUNOPS_ALLOW_SIGNUP !== "1") notFound();
  if (await needsFirstStart(getDb())) redirect("/setup");
  return (
    <main className="signin">
      <h1>Create an account</h1>
      <p className="muted">
        A project admin then adds you to their project. Already have an account?{" "}
        <Link href="/signin">Sign in</Link>.
      </p>
      <NewAccountForm action={signUpAction} submitLabel="Create account" pendingLabel="Creating…" next="/" />
    </main>
  );
}
