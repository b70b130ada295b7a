"use client";
import { useEffect, useState, useTransition } from "react";
import { projectPublicKeysAction } from "@/app/actions/projects";
import { IDLE } from "@/lib/http/action-state";

/**
 * The project's public SSH key(s), to paste into the host's authorized_keys.
 * A project that never had an SSH target has none: it is made when this shows.
 */
export function ProjectPublicKey({ projectId, publicKeys }: { projectId: string; publicKeys: string[] }) {
  const [keys, setKeys] = useState(publicKeys);
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  useEffect(() => {
    if (keys.length > 0) return;
    const data = new FormData();
    data.set("projectId", projectId);
    startTransition(async () => {
      const answer = await projectPublicKeysAction(IDLE, data);
      if (answer.status === "ok" && answer.result) setKeys(answer.result);
      else setError(answer.message ?? "The project's key could not be made");
    });
  }, [keys.length, projectId]);
  return (
    <div className="field">
      <label htmlFor="project-public-key">Project public key</label>
      <textarea
        id="project-public-key"
        className="public-key"
        readOnly
        rows={Math.max(keys.length, 1) + 1}
        value={pending ? "Making the project's key…" : keys.join("\n")}
        aria-describedby="project-public-key-hint"
        onFocus={(e) => e.currentTarget.select()}
      />
      {error && <p className="field-error">{error}</p>}
      <p id="project-public-key-hint" className="hint">
        Add {keys.length > 1 ? "these lines" : "this line"} to <code>~/.ssh/authorized_keys</code> of the SSH
        user on the host. The private key stays in runops, sealed with the server key.
      </p>
    </div>
  );
}
