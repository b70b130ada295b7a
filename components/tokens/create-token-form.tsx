"use client";
import { useActionState, useState } from "react";
import { type CreateTokenState, createTokenAction } from "@/app/actions/tokens";

const initial: CreateTokenState = { status: "idle" };

export function CreateTokenForm() {
  const [state, action, pending] = useActionState(createTokenAction, initial);
  const [copied, setCopied] = useState(false);
  const values = state.status === "invalid" || state.status === "error" ? state.values : null;
  const errors = state.status === "invalid" ? state.fieldErrors : {};
  return (
    <section className="panel" aria-labelledby="new-token">
      <h2 id="new-token" style={{ marginTop: 0 }}>
        New token
      </h2>
      {state.status === "created" && (
        <div role="status" className="notice" style={{ background: "#e6f4ea", borderColor: "#b7dfc3" }}>
          <p style={{ margin: "0 0 0.5rem" }}>
            Token <strong>{state.name}</strong> created. Copy it now: it will not be shown again.
          </p>
          <div className="row">
            <code data-testid="new-token">{state.secret}</code>
            <button
              type="button"
              onClick={() => {
                void navigator.clipboard?.writeText(state.secret).then(() => setCopied(true));
              }}
            >
              {copied ? "Copied" : "Copy"}
            </button>
          </div>
        </div>
      )}
      <form action={action} key={state.status === "created" ? state.secret : "form"}>
        <div className="row" style={{ alignItems: "flex-end" }}>
          <div>
            <label htmlFor="token-name">Name</label>
            <input
              id="token-name"
              name="name"
              required
              maxLength={100}
              defaultValue={values?.name ?? ""}
              aria-invalid={errors.name ? true : undefined}
              aria-describedby={errors.name ? "token-name-error" : undefined}
              placeholder="laptop CLI"
            />
          </div>
          <div>
            <label htmlFor="token-expiry">Expires in</label>
            <select id="token-expiry" name="expiresInDays" defaultValue={values?.expiresInDays ?? "90"}>
              <option value="7">7 days</option>
              <option value="30">30 days</option>
              <option value="90">90 days</option>
              <option value="365">1 year</option>
              <option value="0">never</option>
            </select>
          </div>
          <button className="primary" type="submit" disabled={pending}>
            {pending ? "Creating…" : "Create token"}
          </button>
        </div>
        {errors.name && (
          <p id="token-name-error" className="error">
            {errors.name.join(" ")}
          </p>
        )}
        {state.status === "error" && (
          <p role="alert" className="error">
            {state.message}
          </p>
        )}
      </form>
    </section>
  );
}
