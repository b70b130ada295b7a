import Link from "next/link";
import { redirect } from "next/navigation";
import { Suspense } from "react";
import { SignInForm } from "@/components/sign-in-form";
import { getDb } from "@/lib/db/client";
import { serverEnv } from "@/lib/env";
import { needsFirstStart } from "@/lib/users/needs-first-start";

export const metadata = { title: "Sign in · runops" };
// Read per request: an empty database sends everyone to the first-start page.
export const dynamic = "force-dynamic";

export default async function SignInPage() {
  // Every page sends a visitor without a session here, so this covers them all.
  if (await needsFirstStart(getDb())) redirect("/setup");
  return (
    <main className="signin">
      <h1>Sign in to runops</h1>
      <Suspense>
        <SignInForm />
      </Suspense>
      {serverEnv().RUNOPS_ALLOW_SIGNUP === "1" && (
        <p className="muted">
          No account yet? <Link href="/signup">Create one</Link>.
        </p>
      )}
    </main>
  );
}
