import Link from "next/link";
import type { DeployOutcome } from "@/app/actions/environments";
import { ConfigWarnings } from "@/components/config-warnings";

/**
 * What a deploy found: the operations and the config's warnings (keys set twice), or the config
 * error (file:line:col path: message), which lists the warnings after the errors.
 */
export function DeployOutcomePanel({
  outcome,
  message,
  slug,
}: {
  outcome: DeployOutcome;
  message: string | undefined;
  slug: string;
}) {
  return (
    <section
      className={`panel outcome ${outcome.ok ? "ok" : "refused"}`}
      aria-labelledby="outcome-title"
      role="status"
    >
      <h2 id="outcome-title">{message}</h2>
      {outcome.ok ? (
        outcome.operations.length > 0 ? (
          <ul aria-label="Operations found">
            {outcome.operations.map((o) => (
              <li key={`${o.app}/${o.worker ?? ""}/${o.name}`}>
                <strong>{o.name}</strong> on {o.worker ? `${o.app} › ${o.worker}` : o.app}{" "}
                <span className="badge">{o.role}</span>
              </li>
            ))}
          </ul>
        ) : (
          <p className="muted">The config defines no runtime operations.</p>
        )
      ) : (
        <pre className="config-error">{outcome.error}</pre>
      )}
      <ConfigWarnings warnings={outcome.warnings} />
      <p className="row">
        <Link href={`/projects/${slug}/environments/${outcome.name}`}>Open {outcome.name}</Link>
        <Link href={`/projects/${slug}/settings`}>Back to settings</Link>
      </p>
    </section>
  );
}
