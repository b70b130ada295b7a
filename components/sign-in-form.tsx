"use client";
import { getCsrfToken } from "next-auth/react";
import { useRouter } from "next/navigation";
import { type FormEvent, useState } from "react";
import { z } from "zod";

/** The body of a refused sign-in the console explains (a 429 says how long to wait). */
const refusal = z.object({ error: z.object({ message: z.string().min(1) }) });

/**
 * Posts to next-auth's credentials callback itself rather than through
 * next-auth's `signIn()`, which keeps only an error code: a throttled attempt
 * is a 429 whose message says how long to wait, and the form shows it.
 */
async function postCredentials(email: string, password: string, next: string): Promise<string | null> {
  const res = await fetch("/api/auth/callback/credentials", {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded", "X-Auth-Return-Redirect": "1" },
    body: new URLSearchParams({
      email,
      password,
      csrfToken: (await getCsrfToken()) ?? "",
      callbackUrl: next,
      json: "true",
    }),
  });
  if (res.ok) return null;
  if (res.status === 429) {
    const body = refusal.safeParse(await res.json().catch(() => null));
    return body.success ? body.data.error.message : "Too many failed sign-ins. Try again later.";
  }
  return "Wrong email or password.";
}

/** `next`: where to go once signed in, a path on this console the page already checked. */
export function SignInForm({ next }: { next: string }) {
  const router = useRouter();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    const refused = await postCredentials(email, password, next).catch(
      () => "The console could not be reached. Try again.",
    );
    setBusy(false);
    if (refused) {
      setError(refused);
      return;
    }
    router.push(next);
    router.refresh();
  }

  return (
    <form className="panel" onSubmit={submit}>
      <label htmlFor="email">Email</label>
      <input
        id="email"
        type="email"
        autoComplete="username"
        required
        value={email}
        onChange={(e) => setEmail(e.target.value)}
      />
      <label htmlFor="password">Password</label>
      <input
        id="password"
        type="password"
        autoComplete="current-password"
        required
        value={password}
        onChange={(e) => setPassword(e.target.value)}
      />
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      <p>
        <button className="primary" type="submit" disabled={busy}>
          {busy ? "Signing in…" : "Sign in"}
        </button>
      </p>
    </form>
  );
}
