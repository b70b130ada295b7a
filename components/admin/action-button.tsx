"use client";
import { useActionState, useEffect, useId, useRef } from "react";
import { type ActionState, IDLE } from "@/lib/http/action-state";
import { FormMessage, Hidden, SubmitButton } from "./form-bits";

type Action = (prev: ActionState, data: FormData) => Promise<ActionState>;

/**
 * One button that runs a server action on some ids, optionally behind a
 * confirmation dialog. The dialog is a native modal <dialog>: focus moves into
 * it, Escape closes it, and focus returns to the button that opened it.
 */
export function ActionButton(props: {
  action: Action;
  hidden: Record<string, string>;
  label: string;
  pending: string;
  className?: string;
  confirm?: { title: string; body: string; confirmLabel: string };
  onDone?: (state: ActionState) => void;
}) {
  const [state, formAction] = useActionState(props.action, IDLE);
  const dialog = useRef<HTMLDialogElement>(null);
  const opener = useRef<HTMLButtonElement>(null);
  const titleId = useId();
  const { onDone } = props;

  useEffect(() => {
    if (state.status === "idle") return;
    if (dialog.current?.open) dialog.current.close();
    onDone?.(state);
  }, [state, onDone]);

  if (!props.confirm) {
    return (
      <form action={formAction} className="inline-action">
        <Hidden values={props.hidden} />
        <SubmitButton pending={props.pending} className={props.className ?? ""}>
          {props.label}
        </SubmitButton>
        <FormMessage state={state} />
      </form>
    );
  }
  return (
    <div className="inline-action">
      <button
        ref={opener}
        type="button"
        className={props.className}
        aria-haspopup="dialog"
        onClick={() => dialog.current?.showModal()}
      >
        {props.label}
      </button>
      <FormMessage state={state} />
      <dialog ref={dialog} aria-labelledby={titleId} onClose={() => opener.current?.focus()}>
        <form action={formAction}>
          <div className="head">
            <h2 id={titleId} style={{ margin: 0 }}>
              {props.confirm.title}
            </h2>
          </div>
          <div className="body">
            <p>{props.confirm.body}</p>
          </div>
          <div className="foot">
            <Hidden values={props.hidden} />
            <button type="button" onClick={() => dialog.current?.close()} autoFocus>
              Cancel
            </button>
            <SubmitButton pending={props.pending} className="danger">
              {props.confirm.confirmLabel}
            </SubmitButton>
          </div>
        </form>
      </dialog>
    </div>
  );
}
