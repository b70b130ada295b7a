"use client";
import { useRouter } from "next/navigation";
import { useEffect, useRef, useState } from "react";
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
}) {
  const router = useRouter();
  const [menuOpen, setMenuOpen] = useState(false);
  const [refreshMessage, setRefreshMessage] = useState<string | null>(null);
  const menuRef = useRef<HTMLDivElement>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const dialogRef = useRef<HTMLDialogElement>(null);

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
            }
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
                const res = await refreshEnvironmentAction(props.environmentId);
                if (!res.ok) setRefreshMessage(res.error);
                else if (res.value.ok)
                  setRefreshMessage(`Config refreshed: ${res.value.operations} operations.`);
                else setRefreshMessage("The config was refused; the previous deployment stays current.");
                router.refresh();
              }}
            >
              Refresh config
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
    </div>
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
    if (res.ok) {
      router.push(`/runs/${res.value.runId}`);
      return;
    }
    setBusy(false);
    setError(res.error);
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
