import Link from "next/link";
import type { Actor } from "@/lib/access/actor";
import { getDb } from "@/lib/db/client";
import { leaseMs, serverEnv } from "@/lib/env";
import { isInstanceAdmin } from "@/lib/access/instance-admin";
import { countSharedUserWorkers } from "@/lib/worker/list-workers";
import { SignOutButton } from "./sign-out-button";
import "./admin/admin.css";

/** The Admin link mirrors the server's check (the admin pages ask it again on every request). */
export async function TopBar({ actor }: { actor: Actor }) {
  const db = getDb();
  const admin = await isInstanceAdmin(db, actor);
  const shared = admin ? await countSharedUserWorkers(db, leaseMs(serverEnv())) : 0;
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
      {shared > 0 && (
        <p role="alert" className="top-warning">
          {shared === 1 ? "A worker runs" : `${shared} workers run`} commands as its own OS user: a command
          can read runops&apos; database and secrets. Set <code>RUNOPS_RUN_AS</code> —{" "}
          <Link href="/admin/workers">see the workers</Link>.
        </p>
      )}
    </header>
  );
}
