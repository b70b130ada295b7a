"use client";
import { useActionState, useState } from "react";
import { createTokenAction } from "@/app/actions/tokens";
import { IDLE } from "@/lib/http/action-state";

export function CreateTokenForm() {
  const [state, action, pending] = useActionState(createTokenAction, IDLE);
  const [copied, setCopied] = useState(false);
  const created = state.status === "ok" ? state.result : undefined;
  const values = state.status === "error" ? state.values : undefined;
  const errors = state.fieldErrors ?? {};
  return (
    <section className="panel" aria-labelledby="new-token">
      <h2 id="new-token" style={{ marginTop: 0 }}>
        New token
      </h2>
      {created && (
        <div role="status" className="notice ok">
          <p style={{ margin: "0 0 0.5rem" }}>
            Token <strong>{created.name}</strong> created. Copy it now: it will not be shown again.
          </p>
          <div className="row">
            <code data-testid="new-token">{created.secret}</code>
            <button
              type="button"
              onClick={() => {
                void navigator.clipboard?.writeText(created.secret).then(() => setCopied(true));
              }}
            >
              {copied ? "Copied" : "Copy"}
            </button>
          </div>
        </div>
      )}
      <form action={action} key={created ? created.secret : "form"}>
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
            {errors.name}
          </p>
        )}
        {state.status === "error" && !errors.name && (
          <p role="alert" className="error">
            {state.message}
          </p>
        )}
      </form>
    </section>
  );
}
