import Link from "next/link";
import { PasswordForm } from "@/components/admin/password-form";
import { ProfileForm } from "@/components/admin/profile-form";
import { utc } from "@/components/admin/when";
import { TopBar } from "@/components/top-bar";
import { requirePageActor } from "@/lib/auth/current-actor";
import { getDb } from "@/lib/db/client";

export const dynamic = "force-dynamic";
export const metadata = { title: "Account · runops" };

export default async function AccountPage() {
  const actor = await requirePageActor();
  const user = await getDb().user.findUniqueOrThrow({
    where: { id: actor.userId },
    select: { email: true, name: true, isAdmin: true, createdAt: true },
  });
  return (
    <>
      <TopBar actor={actor} />
      <main className="narrow">
        <div className="crumbs">
          <Link href="/">Projects</Link> /
        </div>
        <h1>Your account</h1>
        <dl className="facts">
          <div>
            <dt>Email</dt>
            <dd>{user.email}</dd>
          </div>
          <div>
            <dt>Instance role</dt>
            <dd>{user.isAdmin ? "instance admin" : "user"}</dd>
          </div>
          <div>
            <dt>Member since</dt>
            <dd>{utc(user.createdAt)}</dd>
          </div>
        </dl>
        <ProfileForm name={user.name} />
        <PasswordForm />
        <p>
          <Link href="/account/tokens">API tokens</Link> for the HTTP API and the CLI.
        </p>
      </main>
    </>
  );
}
