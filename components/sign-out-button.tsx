"use client";
import { signOut } from "next-auth/react";

export function SignOutButton() {
  return <button onClick={() => void signOut({ callbackUrl: "/signin" })}>Sign out</button>;
}
