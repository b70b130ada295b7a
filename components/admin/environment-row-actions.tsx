"use client";
import {
  changeEnvironmentStatusAction,
  deleteEnvironmentAction,
  refreshEnvironmentAction,
} from "@/app/actions/environments";
import { ActionButton } from "./action-button";

/** Pause or resume, refresh the config, delete: the admin's buttons on one environment row. */
export function EnvironmentRowActions(props: {
  environmentId: string;
  name: string;
  status: string;
  activeRuns: number;
}) {
  const hidden = { environmentId: props.environmentId };
  const paused = props.status === "paused";
  return (
    <div className="row actions" role="group" aria-label={`Actions on ${props.name}`}>
      <ActionButton
        action={changeEnvironmentStatusAction}
        hidden={{ ...hidden, to: paused ? "active" : "paused" }}
        label={paused ? "Resume" : "Pause"}
        pending={paused ? "Resuming…" : "Pausing…"}
      />
      <ActionButton
        action={refreshEnvironmentAction}
        hidden={hidden}
        label="Refresh config"
        pending="Reading…"
      />
      <ActionButton
        action={deleteEnvironmentAction}
        hidden={hidden}
        label="Delete"
        pending="Deleting…"
        className="danger"
        confirm={{
          title: `Delete ${props.name}?`,
          body:
            props.activeRuns > 0
              ? `${props.activeRuns} run(s) are still pending or in progress: deletion will be refused until they end.`
              : "It disappears from the project and takes no more runs. Its run history and logs are kept, for project admins, under Deleted environments.",
          confirmLabel: "Delete environment",
        }}
      />
    </div>
  );
}
