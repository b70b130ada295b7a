/** The project's public SSH key(s), to paste into the host's authorized_keys. */
export function ProjectPublicKey({ publicKeys }: { publicKeys: string[] }) {
  return (
    <div className="field">
      <label htmlFor="project-public-key">Project public key</label>
      <textarea
        id="project-public-key"
        className="public-key"
        readOnly
        rows={publicKeys.length + 1}
        value={publicKeys.join("\n")}
        aria-describedby="project-public-key-hint"
        onFocus={(e) => e.currentTarget.select()}
      />
      <p id="project-public-key-hint" className="hint">
        Add {publicKeys.length > 1 ? "these lines" : "this line"} to <code>~/.ssh/authorized_keys</code> of
        the SSH user on the host. The private key stays in runops, sealed with the server key.
      </p>
    </div>
  );
}
