import { chmodSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import path from "node:path";
import { CliError, ExitCode, UsageError } from "./errors.ts";
import type { Env } from "./env.ts";

/** What `runops auth:login` stores; `project` and `environment` may be added by hand as defaults. */
export interface StoredConfig {
  url?: string;
  token?: string;
  project?: string;
  environment?: string;
}

const KEYS = ["url", "token", "project", "environment"] as const;

/** `$XDG_CONFIG_HOME/runops/config.json`, else `~/.config/runops/config.json`. */
export function configPath(env: Env): string {
  const base = env.XDG_CONFIG_HOME && path.isAbsolute(env.XDG_CONFIG_HOME) ? env.XDG_CONFIG_HOME : null;
  return path.join(base ?? path.join(env.HOME || homedir(), ".config"), "runops", "config.json");
}

export function readConfig(file: string): StoredConfig {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    if (isNodeError(error) && error.code === "ENOENT") return {};
    throw new CliError(`cannot read ${file}: ${errorText(error)}`, ExitCode.usage);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new CliError(`${file} is not valid JSON: fix or delete it`, ExitCode.usage);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new CliError(`${file} must hold a JSON object`, ExitCode.usage);
  }
  const config: StoredConfig = {};
  for (const key of KEYS) {
    const value: unknown = (parsed as Record<string, unknown>)[key];
    if (typeof value === "string" && value !== "") config[key] = value;
  }
  return config;
}

/**
 * Writes the file readable by its owner only (0600, directory 0700): it holds
 * a token as good as the user's password for the API. Written to a temporary
 * file then renamed, so a crash never leaves half a file; the mode is set
 * explicitly because the umask could widen what open() asked for.
 */
export function writeConfig(file: string, config: StoredConfig): void {
  const dir = path.dirname(file);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
  const temp = `${file}.${process.pid}.tmp`;
  const clean = Object.fromEntries(KEYS.filter((k) => config[k]).map((k) => [k, config[k]]));
  try {
    writeFileSync(temp, `${JSON.stringify(clean, null, 2)}\n`, { mode: 0o600 });
    chmodSync(temp, 0o600);
    renameSync(temp, file);
  } catch (error) {
    rmSync(temp, { force: true });
    throw new CliError(`cannot write ${file}: ${errorText(error)}`, ExitCode.usage);
  }
}

/** A base URL: http(s), no trailing slash (a path prefix is kept, for a console behind a proxy path). */
export function normalizeUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    throw new UsageError(`invalid URL "${value}": expected e.g. http://localhost:3000`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new UsageError(`invalid URL "${value}": only http:// and https:// are supported`);
  }
  url.search = "";
  url.hash = "";
  return url.toString().replace(/\/+$/, "");
}

export type Source = "flag" | "env" | "config";

export interface Setting {
  value: string;
  source: Source;
}

/** The first of flag, environment variable and config file that has a value. */
export function pick(
  flag: string | undefined,
  env: string | undefined,
  stored: string | undefined,
): Setting | undefined {
  if (flag) return { value: flag, source: "flag" };
  if (env) return { value: env, source: "env" };
  if (stored) return { value: stored, source: "config" };
  return undefined;
}

export interface Connection {
  url: string;
  token: string;
  urlSource: Source;
  tokenSource: Source;
}

/**
 * The server and token to use. The config file's token is only sent to the
 * config file's URL: pointing RUNOPS_URL (or --url) at another server must not
 * hand it a token that was stored for a different one.
 */
export function resolveConnection(
  flags: { url?: string; token?: string },
  env: Env,
  stored: StoredConfig,
): Connection {
  const url = pick(flags.url, env.RUNOPS_URL, stored.url);
  if (!url) {
    throw new CliError(
      "no runops server configured",
      ExitCode.auth,
      "run `runops auth:login`, or set RUNOPS_URL and RUNOPS_TOKEN",
    );
  }
  const base = normalizeUrl(url.value);
  const storedUrl = stored.url ? safeNormalize(stored.url) : undefined;
  const storedToken = storedUrl === base ? stored.token : undefined;
  const token = pick(flags.token, env.RUNOPS_TOKEN, storedToken);
  if (!token) {
    throw new CliError(
      `no API token for ${base}`,
      ExitCode.auth,
      `run \`runops auth:login --url ${base}\`, or set RUNOPS_TOKEN`,
    );
  }
  return { url: base, token: token.value.trim(), urlSource: url.source, tokenSource: token.source };
}

function safeNormalize(value: string): string | undefined {
  try {
    return normalizeUrl(value);
  } catch {
    return undefined;
  }
}

function isNodeError(error: unknown): error is NodeJS.ErrnoException {
  return error instanceof Error && "code" in error;
}

function errorText(error: unknown): string {
  if (isNodeError(error) && error.code) return error.code;
  return error instanceof Error ? error.message : String(error);
}
