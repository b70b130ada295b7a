"use client";
import { useRouter } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import { changeEnvironmentStatusAction, deleteEnvironmentAction } from "@/app/actions/environments";
import { type ActionState, IDLE } from "@/lib/http/action-state";
import { refreshEnvironmentAction } from "@/app/actions/environments";
import { triggerRunAction } from "@/app/actions/runs";

export type OperationChoice = {
  app: string;
  worker: string | null;
  name: string;
  role: string;
  start: string;
  allowed: boolean;
  reason: string | null;
};

const keyOf = (op: OperationChoice) => JSON.stringify([op.app, op.worker, op.name]);

/** The environment's ⋮ More menu and its "Run runtime operation" dialog. */
export function EnvironmentActions(props: {
  environmentId: string;
  operations: OperationChoice[];
  projectSlug: string;
  envName: string;
  canAdmin: boolean;
  /** "active" or "paused"; project admins get Pause or Resume in the menu. */
  status?: string;
}) {
  const router = useRouter();
  const [menuOpen, setMenuOpen] = useState(false);
  const [refreshMessage, setRefreshMessage] = useState<string | null>(null);
  const menuRef = useRef<HTMLDivElement>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const dialogRef = useRef<HTMLDialogElement>(null);
  const deleteRef = useRef<HTMLDialogElement>(null);

  /** Pause or resume through the same server actions as the settings page (they authorize and audit). */
  async function setStatus(next: "paused" | "active") {
    setMenuOpen(false);
    const data = new FormData();
    data.set("environmentId", props.environmentId);
    data.set("to", next);
    const res = await changeEnvironmentStatusAction(IDLE, data);
    setRefreshMessage(res.message ?? null);
    router.refresh();
  }

  /** Arrow keys, Home and End move between the menu's items (WAI-ARIA menu pattern). */
  function moveFocus(e: React.KeyboardEvent<HTMLDivElement>) {
    const items = [...(menuRef.current?.querySelectorAll<HTMLElement>('[role="menuitem"]') ?? [])];
    const at = items.indexOf(document.activeElement as HTMLElement);
    const to =
      e.key === "ArrowDown"
        ? (at + 1) % items.length
        : e.key === "ArrowUp"
          ? (at - 1 + items.length) % items.length
          : e.key === "Home"
            ? 0
            : e.key === "End"
              ? items.length - 1
              : null;
    if (to === null || items.length === 0) return;
    e.preventDefault();
    items[to]?.focus();
  }

  useEffect(() => {
    if (!menuOpen) return;
    menuRef.current?.querySelector<HTMLElement>('[role="menuitem"]')?.focus();
    const close = (e: MouseEvent) => {
      if (!menuRef.current?.contains(e.target as Node) && e.target !== buttonRef.current) setMenuOpen(false);
    };
    document.addEventListener("mousedown", close);
    return () => document.removeEventListener("mousedown", close);
  }, [menuOpen]);

  return (
    <div className="menu">
      <button
        ref={buttonRef}
        className="icon"
        aria-label="More"
        title="More"
        aria-haspopup="menu"
        aria-expanded={menuOpen}
        onClick={() => setMenuOpen((o) => !o)}
      >
        ⋮
      </button>
      {menuOpen && (
        <div
          role="menu"
          ref={menuRef}
          aria-label="Environment actions"
          onKeyDown={(e) => {
            if (e.key === "Escape") {
              setMenuOpen(false);
              buttonRef.current?.focus();
            } else moveFocus(e);
          }}
        >
          <button
            role="menuitem"
            onClick={() => {
              setMenuOpen(false);
              dialogRef.current?.showModal();
            }}
          >
            Run runtime operation
          </button>
          {props.canAdmin && (
            <button
              role="menuitem"
              onClick={async () => {
                setMenuOpen(false);
                setRefreshMessage("Reading the config…");
                const res = await refreshEnvironmentAction({ environmentId: props.environmentId });
                setRefreshMessage(res.message ?? "");
                router.refresh();
              }}
            >
              Refresh config
            </button>
          )}
          {props.canAdmin && props.status && (
            <button
              role="menuitem"
              onClick={() => void setStatus(props.status === "paused" ? "active" : "paused")}
            >
              {props.status === "paused" ? "Resume environment" : "Pause environment"}
            </button>
          )}
          {props.canAdmin && (
            <button
              role="menuitem"
              onClick={() => {
                setMenuOpen(false);
                deleteRef.current?.showModal();
              }}
            >
              Delete environment
            </button>
          )}
          {props.canAdmin && (
            <button
              role="menuitem"
              onClick={() => {
                setMenuOpen(false);
                router.push(`/projects/${props.projectSlug}/settings`);
              }}
            >
              Project settings
            </button>
          )}
        </div>
      )}
      {refreshMessage && (
        <p role="status" className="muted" style={{ position: "absolute", right: 0, whiteSpace: "nowrap" }}>
          {refreshMessage}
        </p>
      )}
      <RunDialog ref={dialogRef} {...props} />
      {props.canAdmin && (
        <DeleteDialog
          ref={deleteRef}
          environmentId={props.environmentId}
          envName={props.envName}
          projectSlug={props.projectSlug}
          onClosed={() => buttonRef.current?.focus()}
        />
      )}
    </div>
  );
}

/** Confirms deleting the environment; refused by the server while runs are active (the reason shows here). */
function DeleteDialog({
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

function RunDialog({
  ref,
  environmentId,
  operations,
}: {
  ref: React.RefObject<HTMLDialogElement | null>;
  environmentId: string;
  operations: OperationChoice[];
}) {
  const router = useRouter();
  const [selected, setSelected] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const chosen = operations.find((op) => keyOf(op) === selected) ?? null;

  async function run() {
    if (!chosen) return;
    setBusy(true);
    setError(null);
    const res = await triggerRunAction({
      environmentId,
      app: chosen.app,
      worker: chosen.worker,
      operation: chosen.name,
    });
    if (res.status === "ok" && res.result) {
      router.push(`/runs/${res.result.runId}`);
      return;
    }
    setBusy(false);
    setError(res.message ?? "The run could not be started");
  }

  return (
    <dialog ref={ref} aria-labelledby="run-op-title" onClose={() => setError(null)}>
      <div className="head">
        <h2 id="run-op-title" style={{ margin: 0 }}>
          Run runtime operation
        </h2>
        <p className="muted" style={{ margin: "0.25rem 0 0" }}>
          Operations of this environment&apos;s current deployment.
        </p>
      </div>
      <div className="body">
        {operations.length === 0 ? (
          <p className="muted">This environment&apos;s config defines no runtime operations.</p>
        ) : (
          <ul className="op-list" aria-label="Operations">
            {operations.map((op) => {
              const key = keyOf(op);
              const service = op.worker ? `${op.app} › ${op.worker}` : op.app;
              return (
                <li key={key}>
                  <label className={op.allowed ? "" : "disabled"}>
                    <input
                      type="radio"
                      name="operation"
                      value={key}
                      disabled={!op.allowed}
                      checked={selected === key}
                      onChange={() => setSelected(key)}
                      aria-describedby={`${key}-desc`}
                    />
                    <span>
                      <span className="name">{op.name}</span> <span className="muted">on {service}</span>{" "}
                      <span className="badge">{op.role}</span>
                      {op.reason && <span className="error"> — {op.reason}</span>}
                    </span>
                    <pre id={`${key}-desc`}>{op.start}</pre>
                  </label>
                </li>
              );
            })}
          </ul>
        )}
        {error && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
      </div>
      <div className="foot">
        <button type="button" onClick={() => ref.current?.close()}>
          Cancel
        </button>
        <button type="button" className="primary" disabled={!chosen || busy} onClick={() => void run()}>
          {busy ? "Starting…" : "Run"}
        </button>
      </div>
    </dialog>
  );
}
