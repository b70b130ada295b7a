import Link from "next/link";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { SignInForm } from "@/components/sign-in-form";
import { safeRedirectPath } from "@/lib/auth/safe-redirect";
import { getDb } from "@/lib/db/client";
import { serverEnv } from "@/lib/env";
import { needsFirstStart } from "@/lib/users/needs-first-start";

export const metadata = { title: "Sign in · runops" };
// Read per request: an empty database sends everyone to the first-start page.
export const dynamic = "force-dynamic";

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function SignInPage({ searchParams }: Props) {
  // Every page sends a visitor without a session here, so this covers them all.
  if (await needsFirstStart(getDb())) redirect("/setup");
  const { callbackUrl } = await searchParams;
  // Where to go once signed in: only ever a path on this console (an open redirect otherwise).
  const origin = serverEnv().NEXTAUTH_URL ?? `http://${(await headers()).get("host") ?? "localhost"}`;
  const next = safeRedirectPath(typeof callbackUrl === "string" ? callbackUrl : undefined, origin);
  return (
    <main className="signin">
      <h1>Sign in to runops</h1>
      <SignInForm next={next} />
      {serverEnv().RUNOPS_ALLOW_SIGNUP === "1" && (
        <p className="muted">
          No account yet? <Link href="/signup">Create one</Link>.
        </p>
      )}
    </main>
  );
}
