"use client";
import { useRouter } from "next/navigation";
import { useId, useState } from "react";
import { signOutSessionAction } from "@/app/actions/sessions";

/** Ends one of the user's other sessions; `label` says which (device and address) to assistive technology. */
export function SignOutSessionButton({ id, label }: { id: string; label: string }) {
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const describedBy = useId();
  return (
    <>
      <span id={describedBy} hidden>
        {label}
      </span>
      <button
        type="button"
        disabled={busy}
        aria-describedby={describedBy}
        onClick={async () => {
          setBusy(true);
          setError(null);
          const res = await signOutSessionAction({ sessionId: id });
          setBusy(false);
          if (res.status === "error") setError(res.message ?? "The session could not be signed out");
          else router.refresh();
        }}
      >
        {busy ? "Signing out…" : "Sign out"}
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
