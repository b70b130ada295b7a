import Link from "next/link";
import { notFound } from "next/navigation";
import { acceptInvitationWithAccountAction } from "@/app/actions/new-accounts";
import { AcceptInvitationForm } from "@/components/admin/accept-invitation-form";
import { NewAccountForm } from "@/components/admin/new-account-form";
import { utc } from "@/components/when";
import { currentActor } from "@/lib/auth/current-actor";
import { getDb } from "@/lib/db/client";
import { findInvitation } from "@/lib/invitations/find-invitation";
import { memberRolesOf } from "@/lib/access/member-roles";
import { describeRoles } from "@/lib/members/member-roles";

export const dynamic = "force-dynamic";
export const metadata = { title: "Invitation · runops", referrer: "no-referrer" };

/**
 * An invitation link. The token in the URL is the secret: anyone holding it
 * may join (once, before it expires), signed in or creating an account here.
 */
export default async function InvitationPage({ params }: PageProps<"/invitations/[token]">) {
  const { token } = await params;
  const db = getDb();
  const invitation = await findInvitation(db, token);
  if (!invitation) notFound();
  const actor = await currentActor();
  const project = invitation.project;
  const member = actor
    ? await db.membership.findUnique({
        where: { projectId_userId: { projectId: project.id, userId: actor.userId } },
      })
    : null;
  const here = `/invitations/${token}`;
  return (
    <main className="signin wide">
      <h1>Join {project.name}</h1>
      {invitation.state === "used" ? (
        <p className="notice" role="status">
          This invitation link has already been used. Ask a project admin for a new one.
        </p>
      ) : invitation.state === "expired" ? (
        <p className="notice" role="status">
          This invitation link expired on {utc(invitation.expiresAt)}. Ask a project admin for a new one.
        </p>
      ) : member ? (
        <p className="notice ok" role="status">
          You are already a member of {project.name}. <Link href={`/projects/${project.slug}`}>Open it</Link>.
        </p>
      ) : (
        <>
          <p>
            You are invited to the project <strong>{project.name}</strong> as{" "}
            <strong>{describeRoles(memberRolesOf(invitation))}</strong>. The link expires{" "}
            {utc(invitation.expiresAt)}.
            {invitation.email && (
              <>
                {" "}
                It is for <strong>{invitation.email}</strong>.
              </>
            )}
          </p>
          {actor && invitation.email && invitation.email !== actor.email ? (
            <p className="notice" role="status">
              You are signed in as {actor.email}. Sign out, then open this link again and sign in as{" "}
              {invitation.email} (or create that account).
            </p>
          ) : actor ? (
            <>
              <p className="muted">Signed in as {actor.email}.</p>
              <AcceptInvitationForm token={token} />
            </>
          ) : (
            <>
              <p>
                Have an account?{" "}
                <Link href={`/signin?callbackUrl=${encodeURIComponent(here)}`}>Sign in to accept</Link>.
              </p>
              <h2>New here? Create your account</h2>
              <NewAccountForm
                action={acceptInvitationWithAccountAction}
                submitLabel="Create account and join"
                pendingLabel="Creating…"
                next={`/projects/${project.slug}`}
                fixedEmail={invitation.email}
                hidden={{ token }}
              />
            </>
          )}
        </>
      )}
    </main>
  );
}
