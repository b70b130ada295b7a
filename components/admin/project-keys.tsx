"use client";
import { confirmKeyRotationAction, rotateProjectKeyAction } from "@/app/actions/projects";
import { ActionButton } from "./action-button";

type Key = { status: "active" | "next"; publicKey: string; fingerprint: string };

/** The project's SSH key: what to put into the hosts' authorized_keys, and its rotation. */
export function ProjectKeys({ projectId, keys }: { projectId: string; keys: Key[] }) {
  const active = keys.find((k) => k.status === "active");
  const next = keys.find((k) => k.status === "next");
  const hidden = { projectId };
  return (
    <section className="panel stack" aria-labelledby="ssh-key-title">
      <h2 id="ssh-key-title">SSH key</h2>
      <p className="hint">
        runops logs in to the project&apos;s SSH environments with this key (ed25519). Its private half never
        leaves runops and is stored sealed with the server key.
      </p>
      {active && <KeyLine label={next ? "Current key (still offered)" : "Public key"} k={active} />}
      {next && <KeyLine label="New key (offered first)" k={next} />}
      <div className="row">
        {next ? (
          <ActionButton
            action={confirmKeyRotationAction}
            hidden={hidden}
            label="Confirm rotation"
            pending="Confirming…"
            confirm={{
              title: "Confirm the key rotation?",
              body: `runops stops offering ${active?.fingerprint ?? "the old key"}. Hosts that only know the old key refuse runops from now on: add the new key to every host first.`,
              confirmLabel: "Stop offering the old key",
            }}
          />
        ) : (
          <ActionButton
            action={rotateProjectKeyAction}
            hidden={hidden}
            label="Rotate key"
            pending="Making a new key…"
          />
        )}
      </div>
    </section>
  );
}

function KeyLine({ label, k }: { label: string; k: Key }) {
  const id = `key-${k.status}`;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <textarea
        id={id}
        className="public-key"
        readOnly
        rows={2}
        value={k.publicKey}
        onFocus={(e) => e.currentTarget.select()}
      />
      <p className="hint">
        <code>{k.fingerprint}</code>
      </p>
    </div>
  );
}
