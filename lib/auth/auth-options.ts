import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { z } from "zod";
import { getDb } from "../db/client";
import { clientAddress } from "../http/client-address";
import { endSession } from "../sessions/end-session";
import { SESSION_MAX_AGE_SEC } from "../sessions/session-lifetime";
import { liveSession } from "./live-session";
import { dummyHash } from "./password";
import { safeRedirectUrl } from "./safe-redirect";
import { signInWithPassword } from "./sign-in-with-password";
import { getThrottle } from "./throttle";
import { markThrottled } from "./throttled-answer";

// Made now rather than at the first unknown email, which would otherwise take longer than the next ones.
void dummyHash();

/** next-auth hands `authorize` the request headers as a plain object. */
function headersOf(raw: Record<string, unknown> | undefined): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(raw ?? {})) {
    if (typeof value === "string") headers.set(name, value);
  }
  return headers;
}

/** What the session cookie's JWT carries besides next-auth's own claims. */
const sessionClaim = z.object({ sid: z.string().min(1) });

export const authOptions: NextAuthOptions = {
  session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_SEC },
  pages: { signIn: "/signin" },
  providers: [
    CredentialsProvider({
      name: "Email and password",
      credentials: {
        email: { label: "Email", type: "email" },
        password: { label: "Password", type: "password" },
      },
      async authorize(raw, req) {
        const headers = headersOf(req?.headers);
        const outcome = await signInWithPassword(getDb(), getThrottle(), raw, {
          ip: clientAddress(headers),
          userAgent: headers.get("user-agent"),
        });
        if (outcome.ok) return { ...outcome.user, sessionId: outcome.sessionId };
        if (outcome.reason === "throttled") markThrottled(outcome.retryAfterSec);
        return null;
      },
    }),
  ],
  callbacks: {
    jwt({ token, user }) {
      if (user) {
        token.sub = user.id;
        token.sid = user.sessionId;
      }
      return token;
    },
    // Only a live server-side session has a user (lib/auth/live-session.ts).
    session({ session, token }) {
      return liveSession(getDb(), token, session.expires);
    },
    // Every callbackUrl (query, form field or next-auth's cookie) goes through here.
    redirect({ url, baseUrl }) {
      return safeRedirectUrl(url, baseUrl);
    },
  },
  events: {
    // Sign-out ends the session server-side: a copy of the cookie is worthless from now on.
    async signOut({ token }) {
      const claim = sessionClaim.safeParse(token);
      if (claim.success) await endSession(getDb(), { sessionId: claim.data.sid });
    },
  },
};
