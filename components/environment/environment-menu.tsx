"use client";
import * as DropdownMenu from "@radix-ui/react-dropdown-menu";
import { useRouter } from "next/navigation";
import { useRef, useState } from "react";
import { changeEnvironmentStatusAction, refreshEnvironmentAction } from "@/app/actions/environments";
import { IDLE } from "@/lib/http/action-state";
import { DeleteEnvironmentDialog } from "./delete-environment-dialog";
import styles from "./environment-menu.module.css";
import { useRunDialog } from "./run-dialog";

/**
 * The environment's ⋮ More menu (radix: the WAI-ARIA menu button — Enter,
 * Space or ArrowDown open it on its first item, arrows and Home/End move,
 * typing a letter jumps to the item it starts, Escape closes; Tab closes it
 * too). Focus goes back to the button, unless a dialog the menu opened takes it.
 */
export function EnvironmentMenu(props: {
  environmentId: string;
  projectSlug: string;
  envName: string;
  canAdmin: boolean;
  /** "active" or "paused"; project admins get Pause or Resume in the menu. */
  status?: string;
}) {
  const router = useRouter();
  const runDialog = useRunDialog();
  const [open, setOpen] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const deleteRef = useRef<HTMLDialogElement>(null);
  // A dialog is opened once the menu has closed, so that it, not the More button, ends up with focus.
  const afterClose = useRef<(() => void) | null>(null);

  /** Pause or resume through the same server actions as the settings page (they authorize and audit). */
  async function setStatus(next: "paused" | "active") {
    const data = new FormData();
    data.set("environmentId", props.environmentId);
    data.set("to", next);
    const res = await changeEnvironmentStatusAction(IDLE, data);
    setMessage(res.message ?? null);
    router.refresh();
  }

  async function refresh() {
    setMessage("Reading the config…");
    const res = await refreshEnvironmentAction({ environmentId: props.environmentId });
    setMessage(res.message ?? "");
    router.refresh();
  }

  return (
    <div className="menu">
      <DropdownMenu.Root open={open} onOpenChange={setOpen} modal={false}>
        <DropdownMenu.Trigger asChild>
          <button ref={buttonRef} type="button" className="icon" aria-label="More" title="More">
            ⋮
          </button>
        </DropdownMenu.Trigger>
        <DropdownMenu.Portal>
          <DropdownMenu.Content
            className={styles.content}
            // Named for what it holds, not by its button's "More" (radix's default labelling).
            aria-label="Environment actions"
            aria-labelledby={undefined}
            align="end"
            sideOffset={4}
            onKeyDown={(e) => {
              // A menu is not a stop in the tab order: Tab leaves it, closed (radix would keep focus inside).
              if (e.key === "Tab") {
                e.preventDefault();
                setOpen(false);
              }
            }}
            onCloseAutoFocus={(e) => {
              const then = afterClose.current;
              afterClose.current = null;
              if (then) {
                e.preventDefault();
                then();
              }
            }}
          >
            <DropdownMenu.Item
              className={styles.item}
              onSelect={() => {
                afterClose.current = () => runDialog.open(null, buttonRef.current);
              }}
            >
              Run runtime operation
            </DropdownMenu.Item>
            {props.canAdmin && (
              <DropdownMenu.Item className={styles.item} onSelect={() => void refresh()}>
                Refresh config
              </DropdownMenu.Item>
            )}
            {props.canAdmin && props.status && (
              <DropdownMenu.Item
                className={styles.item}
                onSelect={() => void setStatus(props.status === "paused" ? "active" : "paused")}
              >
                {props.status === "paused" ? "Resume environment" : "Pause environment"}
              </DropdownMenu.Item>
            )}
            {props.canAdmin && (
              <DropdownMenu.Item
                className={styles.item}
                onSelect={() => {
                  afterClose.current = () => deleteRef.current?.showModal();
                }}
              >
                Delete environment
              </DropdownMenu.Item>
            )}
            {props.canAdmin && (
              <DropdownMenu.Item
                className={styles.item}
                onSelect={() => router.push(`/projects/${props.projectSlug}/settings`)}
              >
                Project settings
              </DropdownMenu.Item>
            )}
          </DropdownMenu.Content>
        </DropdownMenu.Portal>
      </DropdownMenu.Root>
      {message && (
        <p role="status" className="muted" style={{ position: "absolute", right: 0, whiteSpace: "nowrap" }}>
          {message}
        </p>
      )}
      {props.canAdmin && (
        <DeleteEnvironmentDialog
          ref={deleteRef}
          environmentId={props.environmentId}
          envName={props.envName}
          projectSlug={props.projectSlug}
          onClosed={() => buttonRef.current?.focus()}
        />
      )}
    </div>
  );
}
