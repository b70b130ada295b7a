"use client";
import { useState } from "react";
import { revokeTokenAction } from "@/app/actions/tokens";

export function RevokeTokenButton({ id, name }: { id: string; name: string }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  return (
    <>
      <button
        className="danger"
        disabled={busy}
        aria-label={`Revoke ${name}`}
        onClick={async () => {
          if (!window.confirm(`Revoke the token "${name}"? Anything using it stops working at once.`)) return;
          setBusy(true);
          const res = await revokeTokenAction({ tokenId: id });
          setBusy(false);
          if (res.status === "error") setError(res.message ?? "The token could not be revoked");
        }}
      >
        Revoke
      </button>
      {error && (
        <span role="alert" className="error">
          {" "}
          {error}
        </span>
      )}
    </>
  );
}
