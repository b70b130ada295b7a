"use client";
import { useRouter } from "next/navigation";
import { createContext, useCallback, useContext, useId, useMemo, useRef, useState } from "react";
import { triggerRunAction } from "@/app/actions/runs";
import { type OperationChoice, keyOf, serviceOf } from "./operation-choice";

type RunDialogApi = {
  /** Opens the dialog with `selected` (an operation's key) checked; on close focus goes back to `returnFocus`. */
  open(selected: string | null, returnFocus: HTMLElement | null): void;
};

const RunDialogContext = createContext<RunDialogApi | null>(null);

/** The one Run dialog of the environment page, for the More menu and the operation table alike. */
export function useRunDialog(): RunDialogApi {
  const api = useContext(RunDialogContext);
  if (!api) throw new Error("useRunDialog needs a RunDialogProvider around it");
  return api;
}

/** Renders its children and the "Run runtime operation" dialog they open. */
export function RunDialogProvider({
  environmentId,
  operations,
  children,
}: {
  environmentId: string;
  operations: OperationChoice[];
  children: React.ReactNode;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const returnFocus = useRef<HTMLElement | null>(null);
  const [selected, setSelected] = useState<string | null>(null);

  const open = useCallback((key: string | null, back: HTMLElement | null) => {
    const dialog = ref.current;
    if (!dialog) return;
    returnFocus.current = back;
    setSelected(key);
    dialog.showModal();
    // Focus on the chosen operation, else the first one that may run: arrow keys then move the choice.
    const radios = [...dialog.querySelectorAll<HTMLInputElement>('input[type="radio"]')];
    const target = radios.find((r) => r.value === key) ?? radios.find((r) => !r.disabled);
    target?.focus();
  }, []);
  const api = useMemo(() => ({ open }), [open]);

  return (
    <RunDialogContext value={api}>
      {children}
      <RunDialog
        ref={ref}
        environmentId={environmentId}
        operations={operations}
        selected={selected}
        onSelect={setSelected}
        onClosed={() => {
          const back = returnFocus.current;
          returnFocus.current = null;
          if (back?.isConnected) back.focus();
        }}
      />
    </RunDialogContext>
  );
}

/**
 * A form: arrow keys move the choice between the operations that may run
 * (a native radio group), Enter or the Run button runs it, Escape closes.
 * Each radio is named by its operation; role, refusal and command describe it.
 */
function RunDialog({
  ref,
  environmentId,
  operations,
  selected,
  onSelect,
  onClosed,
}: {
  ref: React.RefObject<HTMLDialogElement | null>;
  environmentId: string;
  operations: OperationChoice[];
  selected: string | null;
  onSelect: (key: string) => void;
  onClosed: () => void;
}) {
  const router = useRouter();
  const id = useId();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const chosen = operations.find((op) => keyOf(op) === selected && op.allowed) ?? null;

  async function run(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    if (!chosen || busy) return;
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
    <dialog
      ref={ref}
      aria-labelledby={`${id}-title`}
      onClose={() => {
        setError(null);
        onClosed();
      }}
    >
      <form onSubmit={(e) => void run(e)}>
        <div className="head">
          <h2 id={`${id}-title`} style={{ margin: 0 }}>
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
              {operations.map((op, i) => {
                const key = keyOf(op);
                const at = `${id}-op${i}`;
                return (
                  <li key={key}>
                    <label className={op.allowed ? "" : "disabled"}>
                      <input
                        type="radio"
                        name="operation"
                        value={key}
                        disabled={!op.allowed}
                        checked={selected === key}
                        onChange={() => onSelect(key)}
                        aria-labelledby={`${at}-name`}
                        aria-describedby={`${at}-role${op.reason ? ` ${at}-reason` : ""} ${at}-command`}
                      />
                      <span>
                        <span id={`${at}-name`}>
                          <span className="name">{op.name}</span>{" "}
                          <span className="muted">on {serviceOf(op)}</span>
                        </span>{" "}
                        <span className="badge" id={`${at}-role`}>
                          {op.role}
                        </span>
                        {op.reason && (
                          <span className="error">
                            {" "}
                            — <span id={`${at}-reason`}>{op.reason}</span>
                          </span>
                        )}
                      </span>
                      <pre id={`${at}-command`}>{op.start}</pre>
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
          <button type="submit" className="primary" disabled={!chosen || busy}>
            {busy ? "Starting…" : "Run"}
          </button>
        </div>
      </form>
    </dialog>
  );
}
