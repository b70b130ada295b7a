import { type ConfigWarning, formatConfigWarning } from "@/lib/config/types";
import styles from "./config-warnings.module.css";

/**
 * A deployment's config warnings (keys set twice): the config loaded with the last value, as
 * on Upsun, but that may not be what was meant, e.g. an operation's role. Nothing without any.
 */
export function ConfigWarnings({ warnings }: { warnings: readonly ConfigWarning[] }) {
  if (warnings.length === 0) return null;
  const n = warnings.length;
  return (
    <div className={styles.warnings} role="note" aria-label="Config warnings">
      <p>
        <strong>
          {n} config warning{n === 1 ? "" : "s"}
        </strong>
        : a key set twice keeps its last value, as on Upsun. Check that it is the one meant.
      </p>
      <ul>
        {warnings.map((w, i) => (
          <li key={i}>
            <code>{formatConfigWarning(w)}</code>
          </li>
        ))}
      </ul>
    </div>
  );
}
