import Link from "next/link";
import { CreateTokenForm } from "@/components/tokens/create-token-form";
import { RevokeTokenButton } from "@/components/tokens/revoke-token-button";
import { utc } from "@/components/when";
import { requirePageActor } from "@/lib/auth/current-actor";
import { getDb } from "@/lib/db/client";
import { listApiTokens } from "@/lib/tokens/list-api-tokens";

export const dynamic = "force-dynamic";
export const metadata = { title: "API tokens · runops" };

export default async function TokensPage() {
  const actor = await requirePageActor();
  const tokens = await listApiTokens(getDb(), actor);
  return (
    <main>
      <div className="crumbs">
        <Link href="/">Projects</Link> /
      </div>
      <h1>API tokens</h1>
      <p className="muted">
        A token acts as you, with your roles as they are at each request, for the HTTP API and the{" "}
        <code>runops</code> CLI. It is shown once; only its hash is stored.
      </p>
      <CreateTokenForm />
      <h2>Your tokens</h2>
      <table aria-label="API tokens">
        <thead>
          <tr>
            <th>Name</th>
            <th>Token</th>
            <th>Created</th>
            <th>Expires</th>
            <th>Last used</th>
            <th>Status</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {tokens.map((t) => {
            const status = t.status;
            return (
              <tr key={t.id}>
                <td>{t.name}</td>
                <td>
                  <code>{t.prefix}…</code>
                </td>
                <td>{utc(t.createdAt)}</td>
                <td>{t.expiresAt ? utc(t.expiresAt) : "never"}</td>
                <td>{utc(t.lastUsedAt)}</td>
                <td>
                  <span className={`badge ${status === "active" ? "active" : "cancelled"}`}>{status}</span>
                </td>
                <td>{status === "active" && <RevokeTokenButton id={t.id} name={t.name} />}</td>
              </tr>
            );
          })}
          {tokens.length === 0 && (
            <tr>
              <td colSpan={7} className="muted">
                No tokens yet.
              </td>
            </tr>
          )}
        </tbody>
      </table>
    </main>
  );
}
