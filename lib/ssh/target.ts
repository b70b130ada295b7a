import { z } from "zod";

/** Where an SSH environment's apps live: a login on a host. */
export type SshTarget = { user: string; host: string; port: number };

const USER = /^[a-z_][a-z0-9_.-]{0,31}$/i;
// A host name, an IPv4 address, or an IPv6 address in brackets.
const HOST =
  /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*|\[[0-9a-f:.]+\])$/i;

/** Parses `user@host[:port]` (IPv6 in brackets); a string is the reason it is not one. */
export function parseSshTarget(text: string): SshTarget | string {
  const m = /^([^@\s]+)@(\[[^\]]+\]|[^:\s]+)(?::(\d{1,5}))?$/.exec(text.trim());
  if (!m?.[1] || !m[2]) return "Use user@host or user@host:port";
  const [, user, host, portText] = m;
  if (!USER.test(user)) return `"${user}" is not a user name`;
  if (!HOST.test(host)) return `"${host}" is not a host name or address`;
  const port = portText === undefined ? 22 : Number(portText);
  if (!Number.isInteger(port) || port < 1 || port > 65535) return "The port must be 1–65535";
  return { user, host: host.replace(/^\[(.*)\]$/, "$1"), port };
}

/** `user@host:port` as stored in Environment.targetHost and shown. */
export function formatSshTarget(t: SshTarget): string {
  const host = t.host.includes(":") ? `[${t.host}]` : t.host;
  return `${t.user}@${host}:${t.port}`;
}

/** The zod form of a target: normalised to `user@host:port`. */
export const sshTargetSchema = z.string().transform((text, ctx) => {
  const parsed = parseSshTarget(text);
  if (typeof parsed === "string") {
    ctx.addIssue({ code: "custom", message: parsed });
    return z.NEVER;
  }
  return formatSshTarget(parsed);
});

/** A stored `user@host:port`; throws on one that never came through sshTargetSchema. */
export function storedSshTarget(text: string): SshTarget {
  const parsed = parseSshTarget(text);
  if (typeof parsed === "string") throw new Error(`invalid SSH target ${JSON.stringify(text)}: ${parsed}`);
  return parsed;
}
