import type { APIResponse } from "@playwright/test";
import type { Actor } from "../../lib/access/actor";
import type { Endpoint } from "../../lib/api/schemas";
import { type Db, createDb } from "../../lib/db/client";
import { hashPassword } from "../../lib/auth/password";
import { checkAnswer } from "../../lib/http/check-answer";
import { newId } from "../../lib/ids";
import { createApiToken } from "../../lib/tokens/create-api-token";

/** The database of the e2e server (SQLite in WAL mode: safe to use beside it). */
export function e2eDb(): Db {
  return createDb(process.env.E2E_DATABASE_URL ?? "file:./data/e2e.db");
}

export async function actorFor(db: Db, email: string): Promise<Actor> {
  const user = await db.user.findUniqueOrThrow({ where: { email } });
  return { userId: user.id, email: user.email, name: user.name, source: "console" };
}

/** A fresh API token for a user, as the account page would create it. */
export async function tokenFor(db: Db, email: string, name = "e2e"): Promise<string> {
  return (await createApiToken(db, await actorFor(db, email), { name, expiresInDays: 30 })).secret;
}

/** A new user, optionally a member of `shop` with the given roles. */
export async function newUser(
  db: Db,
  label: string,
  membership?: {
    projectRole: "admin" | "viewer";
    productionRole?: string;
    stagingRole?: string;
    developmentRole?: string;
  },
) {
  const email = `${label}-${newId()}@example.com`;
  const user = await db.user.create({
    data: { id: newId(), email, name: label, passwordHash: await hashPassword("unused-password") },
  });
  if (membership) {
    const shop = await db.project.findUniqueOrThrow({ where: { slug: "shop" } });
    await db.membership.create({ data: { id: newId(), projectId: shop.id, userId: user.id, ...membership } });
  }
  return { user, email };
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/**
 * An answer checked against its endpoint's contract with the very check the
 * console runs in development (lib/http/check-answer.ts), which the
 * production server under test skips: the status must be declared, JSON must
 * parse with its schema (or the error shape) with no undeclared field, and
 * every SSE event must match its declared data. Returns the body's text.
 */
export async function expectContract(endpoint: Endpoint, res: AnswerLike): Promise<string> {
  const body = typeof res.body === "string" ? res.body : new Uint8Array(res.body);
  const original = new Response(body, { status: res.status, headers: res.headers });
  const checked = await checkAnswer(endpoint, original);
  const text = await checked.text(); // a stream breaks off here, at its first wrong event
  if (checked.status !== original.status) throw new Error(JSON.parse(text).error.message);
  return text;
}

type AnswerLike = { status: number; headers: Record<string, string>; body: Uint8Array | string };

/** A Playwright API answer, as expectContract takes it. */
export async function answerOf(res: APIResponse): Promise<AnswerLike> {
  return { status: res.status(), headers: res.headers(), body: await res.body() };
}

/**
 * The start of a stream that does not end by itself (GET …/runs/events): its
 * events until `until` returns true for the text read so far, then the
 * connection is closed. `act` runs once the stream is open.
 */
export async function readStreamUntil(
  url: string,
  headers: Record<string, string>,
  act: () => Promise<unknown>,
  until: (text: string) => boolean,
): Promise<AnswerLike> {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), 30_000);
  try {
    const res = await fetch(url, { headers, signal: abort.signal });
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let text = "";
    await act();
    while (!until(text)) {
      const { done, value } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
    // Only whole events: the last one read may be cut.
    return {
      status: res.status,
      headers: Object.fromEntries(res.headers),
      body: text.slice(0, text.lastIndexOf("\n\n") + 2),
    };
  } finally {
    clearTimeout(timer);
    abort.abort();
  }
}
