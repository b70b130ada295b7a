import Link from "next/link";
import type { Actor } from "@/lib/access/actor";
import { getDb } from "@/lib/db/client";
import { isInstanceAdmin } from "@/lib/users/require-instance-admin";
import { SignOutButton } from "./sign-out-button";
import "./admin/admin.css";

/** Read per request, like every permission: a revoked instance admin loses the link at once. */
export async function TopBar({ actor }: { actor: Actor }) {
  const admin = await isInstanceAdmin(getDb(), actor);
  return (
    <header className="top">
      <Link href="/">runops</Link>
      <span className="spacer" />
      <nav aria-label="Account" className="top-links">
        {admin && <Link href="/admin">Admin</Link>}
        <Link href="/account/tokens">API tokens</Link>
        <Link href="/account">Account</Link>
      </nav>
      <span aria-label="Signed in as">{actor.name || actor.email}</span>
      <SignOutButton />
    </header>
  );
}
