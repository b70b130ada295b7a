"use client";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { deleteEnvironmentAction } from "@/app/actions/environments";
import { type ActionState, IDLE } from "@/lib/http/action-state";

/** Confirms deleting the environment; refused by the server while runs are active (the reason shows here). */
export function DeleteEnvironmentDialog({
  ref,
  ...props
}: {
  ref: React.RefObject<HTMLDialogElement | null>;
  environmentId: string;
  envName: string;
  projectSlug: string;
  onClosed: () => void;
}) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function remove() {
    setBusy(true);
    setError(null);
    const data = new FormData();
    data.set("environmentId", props.environmentId);
    // On success the action redirects there (this page is gone); on a refusal it answers why.
    data.set("returnTo", `/projects/${props.projectSlug}`);
    const res: ActionState | undefined = await deleteEnvironmentAction(IDLE, data);
    setBusy(false);
    if (!res || res.status === "ok") {
      ref.current?.close();
      router.push(`/projects/${props.projectSlug}`);
      return;
    }
    setError(res.message ?? "The environment could not be deleted");
  }

  return (
    <dialog
      ref={ref}
      aria-labelledby="delete-env-title"
      onClose={() => {
        setError(null);
        props.onClosed();
      }}
    >
      <div className="head">
        <h2 id="delete-env-title" style={{ margin: 0 }}>
          Delete {props.envName}?
        </h2>
      </div>
      <div className="body">
        <p>
          It disappears from the project and takes no more runs. Its run history and logs are kept, for
          project admins, under the project&apos;s settings. Deletion is refused while runs are pending or in
          progress.
        </p>
        {error && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
      </div>
      <div className="foot">
        <button type="button" autoFocus onClick={() => ref.current?.close()}>
          Cancel
        </button>
        <button type="button" className="danger" disabled={busy} onClick={() => void remove()}>
          {busy ? "Deleting…" : "Delete environment"}
        </button>
      </div>
    </dialog>
  );
}
