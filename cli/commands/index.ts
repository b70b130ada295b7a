import type { CommandEntry } from "../command.ts";

/**
 * Every command, in the order `runops list` shows them. Each is loaded only
 * when used, so `runops --help` starts without the API client and zod.
 */
export const COMMANDS: readonly CommandEntry[] = [
  {
    name: "auth:info",
    aliases: [],
    summary: "Show the server, the user and where the token comes from",
    load: () => import("./auth-info.ts"),
  },
  {
    name: "auth:login",
    aliases: ["login"],
    summary: "Store a server URL and API token in the user config file",
    load: () => import("./auth-login.ts"),
  },
  {
    name: "auth:logout",
    aliases: ["logout"],
    summary: "Remove the stored API token",
    load: () => import("./auth-logout.ts"),
  },
  {
    name: "operation:list",
    aliases: ["ops"],
    summary: "List runtime operations on an environment",
    load: () => import("./operation-list.ts"),
  },
  {
    name: "operation:run",
    aliases: [],
    summary: "Run an operation on the environment and stream its log",
    load: () => import("./operation-run.ts"),
  },
  // Runs are what Upsun calls activities: its activity:* names (and aliases) work too.
  {
    name: "run:cancel",
    aliases: ["activity:cancel"],
    summary: "Cancel a run, or choose one of the active runs to cancel",
    load: () => import("./run-cancel.ts"),
  },
  {
    name: "run:get",
    aliases: ["activity:get"],
    summary: "Show a run's fields, or one of them (-P)",
    load: () => import("./run-get.ts"),
  },
  {
    name: "run:list",
    aliases: ["runs", "activity:list", "activities", "act"],
    summary: "List the runs of an environment, newest first",
    load: () => import("./run-list.ts"),
  },
  {
    name: "run:log",
    aliases: ["activity:log"],
    summary: "Show a run's log (the latest run's without ID), following it while it runs",
    load: () => import("./run-log.ts"),
  },
];

export function findCommand(name: string): CommandEntry | undefined {
  return COMMANDS.find((c) => c.name === name || c.aliases.includes(name));
}
