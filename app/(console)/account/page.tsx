import Link from "next/link";
import { PasswordForm } from "@/components/admin/password-form";
import { ProfileForm } from "@/components/admin/profile-form";
import { SignOutSessionButton } from "@/components/admin/sign-out-session-button";
import { utc } from "@/components/when";
import { requirePageActor } from "@/lib/auth/current-actor";
import { getDb } from "@/lib/db/client";
import { listSessions } from "@/lib/sessions/list-sessions";

export const dynamic = "force-dynamic";
export const metadata = { title: "Account · runops" };

export default async function AccountPage() {
  const actor = await requirePageActor();
  const db = getDb();
  const user = await db.user.findUniqueOrThrow({
    where: { id: actor.userId },
    select: { email: true, name: true, isAdmin: true, createdAt: true },
  });
  const sessions = await listSessions(db, actor);
  return (
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
      <section className="panel" aria-labelledby="sessions-title">
        <h2 id="sessions-title">Where you are signed in</h2>
        <table aria-label="Sessions">
          <thead>
            <tr>
              <th>Device</th>
              <th>Address</th>
              <th>Signed in</th>
              <th>Last seen</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {sessions.map((s) => (
              <tr key={s.id}>
                <td>{s.device}</td>
                <td>{s.ip ?? "—"}</td>
                <td>{utc(s.createdAt)}</td>
                <td>{utc(s.lastSeenAt)}</td>
                <td>
                  {/* The top bar's "Sign out" ends this one; a second button of that name would only confuse. */}
                  {s.current ? (
                    <span className="badge active">This session</span>
                  ) : (
                    <SignOutSessionButton
                      id={s.id}
                      label={`${s.device}, ${s.ip ?? "unknown address"}, last seen ${utc(s.lastSeenAt)}`}
                    />
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <p>
        <Link href="/account/tokens">API tokens</Link> for the HTTP API and the CLI.
      </p>
    </main>
  );
}
