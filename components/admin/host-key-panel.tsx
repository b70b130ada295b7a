import type { SshProbe } from "@/lib/environments/probe-ssh-target";
import { Hidden } from "./form-bits";

/**
 * The host key an SSH host offered, to compare with the host's own
 * (`ssh-keygen -l -f /etc/ssh/ssh_host_ed25519_key.pub`) before it is pinned.
 * Inside the environment form: confirming submits it with the key.
 */
export function HostKeyPanel({ probe }: { probe: SshProbe }) {
  return (
    <section className="panel notice" aria-labelledby="host-key-title" role="status">
      <h2 id="host-key-title">Host key of {probe.target}</h2>
      {probe.fingerprint ? (
        <>
          <p>
            <code aria-label="Offered host key fingerprint">{probe.fingerprint}</code>
          </p>
          <p className="hint">
            Compare it with <code>ssh-keygen -l -f /etc/ssh/ssh_host_ed25519_key.pub</code> on the host. Once
            confirmed, runops refuses any other key.
          </p>
          <Hidden values={{ hostKey: probe.fingerprint }} />
        </>
      ) : null}
      {probe.keyAccepted ? (
        <p>The host accepts the project&apos;s key.</p>
      ) : (
        <p className="field-error">{probe.error}</p>
      )}
    </section>
  );
}
