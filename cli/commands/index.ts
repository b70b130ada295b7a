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
  {
    name: "run:cancel",
    aliases: [],
    summary: "Cancel a run",
    load: () => import("./run-cancel.ts"),
  },
  {
    name: "run:list",
    aliases: ["runs"],
    summary: "List the runs of an environment, newest first",
    load: () => import("./run-list.ts"),
  },
  {
    name: "run:log",
    aliases: [],
    summary: "Show a run's log, or follow it until the run ends",
    load: () => import("./run-log.ts"),
  },
];

export function findCommand(name: string): CommandEntry | undefined {
  return COMMANDS.find((c) => c.name === name || c.aliases.includes(name));
}
