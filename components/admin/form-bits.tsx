"use client";
import { type ReactNode, type RefObject, useEffect, useId } from "react";
import { useFormStatus } from "react-dom";
import type { ActionState } from "@/lib/http/action-state";
import "./admin.css";

/** The answer of the last submission: an alert for a refusal, a status line for a success. */
export function FormMessage({ state, id }: { state: ActionState; id?: string }) {
  if (state.status === "idle" || !state.message) return null;
  return state.status === "error" ? (
    <p id={id} role="alert" className="form-message error" tabIndex={-1}>
      {state.message}
    </p>
  ) : (
    <p id={id} role="status" className="form-message ok" tabIndex={-1}>
      {state.message}
    </p>
  );
}

/**
 * After a refused submission, move focus to the first field in error (or the
 * message), so keyboard and screen-reader users land on what to fix.
 */
export function useFocusOnError(form: RefObject<HTMLFormElement | null>, state: ActionState) {
  useEffect(() => {
    if (state.status !== "error" || !form.current) return;
    const target =
      form.current.querySelector<HTMLElement>('[aria-invalid="true"]') ??
      form.current.querySelector<HTMLElement>(".form-message");
    target?.focus();
  }, [form, state]);
}

type FieldProps = {
  name: string;
  label: string;
  state: ActionState;
  type?: string;
  defaultValue?: string;
  hint?: ReactNode;
  required?: boolean;
  autoComplete?: string;
  readOnly?: boolean;
  placeholder?: string;
  inputMode?: "text" | "numeric" | "email";
  min?: number;
  max?: number;
  onChange?: (value: string) => void;
  value?: string;
};

/** A labelled input with its hint and its error, tied together for assistive technology. */
export function Field(props: FieldProps) {
  const id = useId();
  const error = props.state.fieldErrors?.[props.name];
  const describedBy = [props.hint ? `${id}-hint` : null, error ? `${id}-error` : null]
    .filter(Boolean)
    .join(" ");
  const typed = props.state.values?.[props.name];
  const controlled = props.value !== undefined;
  return (
    <div className="field">
      <label htmlFor={id}>{props.label}</label>
      <input
        id={id}
        // Keyed on what was typed: when the server sends a refusal back, the input shows it again.
        key={controlled ? undefined : (typed ?? "")}
        name={props.name}
        type={props.type ?? "text"}
        required={props.required}
        autoComplete={props.autoComplete}
        readOnly={props.readOnly}
        placeholder={props.placeholder}
        inputMode={props.inputMode}
        min={props.min}
        max={props.max}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy || undefined}
        value={props.value}
        defaultValue={controlled ? undefined : (typed ?? props.defaultValue)}
        onChange={props.onChange ? (e) => props.onChange?.(e.target.value) : undefined}
      />
      {props.hint && (
        <p id={`${id}-hint`} className="hint">
          {props.hint}
        </p>
      )}
      {error && (
        <p id={`${id}-error`} className="field-error">
          {error}
        </p>
      )}
    </div>
  );
}

/** A labelled select with its error. */
export function SelectField(props: {
  name: string;
  label: string;
  state: ActionState;
  options: { value: string; label: string; disabled?: boolean }[];
  defaultValue?: string;
  disabled?: boolean;
  hint?: ReactNode;
}) {
  const id = useId();
  const error = props.state.fieldErrors?.[props.name];
  const typed = props.state.values?.[props.name];
  const describedBy = [props.hint ? `${id}-hint` : null, error ? `${id}-error` : null]
    .filter(Boolean)
    .join(" ");
  return (
    <div className="field">
      <label htmlFor={id}>{props.label}</label>
      <select
        id={id}
        name={props.name}
        key={typed ?? ""}
        defaultValue={typed ?? props.defaultValue}
        disabled={props.disabled}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy || undefined}
      >
        {props.options.map((o) => (
          <option key={o.value} value={o.value} disabled={o.disabled}>
            {o.label}
          </option>
        ))}
      </select>
      {props.hint && (
        <p id={`${id}-hint`} className="hint">
          {props.hint}
        </p>
      )}
      {error && (
        <p id={`${id}-error`} className="field-error">
          {error}
        </p>
      )}
    </div>
  );
}

/** Disabled while its form's action runs, with a label saying so. */
export function SubmitButton({
  children,
  pending,
  className = "primary",
}: {
  children: ReactNode;
  pending: string;
  className?: string;
}) {
  const status = useFormStatus();
  return (
    <button type="submit" className={className} disabled={status.pending} aria-disabled={status.pending}>
      {status.pending ? pending : children}
    </button>
  );
}

/** Hidden inputs for ids the server needs (it checks them: they are not trusted). */
export function Hidden({ values }: { values: Record<string, string> }) {
  return (
    <>
      {Object.entries(values).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
    </>
  );
}
