import Link from "next/link";
import type { Actor } from "@/lib/access/actor";
import { SignOutButton } from "./sign-out-button";

export function TopBar({ actor }: { actor: Actor }) {
  return (
    <header className="top">
      <Link href="/">runops</Link>
      <span className="spacer" />
      <Link href="/account/tokens">API tokens</Link>
      <span aria-label="Signed in as">{actor.name || actor.email}</span>
      <SignOutButton />
    </header>
  );
}
