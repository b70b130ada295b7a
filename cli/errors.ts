/**
 * Exit codes, one per kind of outcome, so scripts can tell a failed run from
 * a refused token or a server that is down. docs/cli.md has the table.
 */
export const ExitCode = {
  ok: 0,
  /** The run ended, but not with success (failure, cancelled, timed out). */
  runFailed: 1,
  /** Bad command line, missing or ambiguous argument, or a 400/422 from the server. */
  usage: 2,
  /** No token, or the token was refused (401). */
  auth: 3,
  /** The token's user may not do this (403). */
  permission: 4,
  /** No such project, environment, operation or run, or not visible to the user (404). */
  notFound: 5,
  /** The server could not be reached (connection refused, DNS, timeout). */
  unreachable: 6,
  /** The server refused because of the state of things (409: environment paused, run already ended). */
  conflict: 7,
  /** The server failed (5xx) or answered something the CLI does not understand. */
  server: 8,
  /** Interrupted with Ctrl-C. */
  interrupted: 130,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** An error meant for the user: its message is printed as is, and it decides the exit code. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCode,
    /** A second line suggesting what to do next. */
    readonly hint?: string,
  ) {
    super(message);
    this.name = "CliError";
  }
}

export class UsageError extends CliError {
  constructor(message: string, hint?: string) {
    super(message, ExitCode.usage, hint);
    this.name = "UsageError";
  }
}

/** The server answered with an HTTP error (the API's `{ error: { code, message, details } }`). */
export class ApiError extends CliError {
  constructor(
    message: string,
    exitCode: ExitCode,
    readonly status: number,
    readonly code: string,
    readonly details?: unknown,
    hint?: string,
  ) {
    super(message, exitCode, hint);
    this.name = "ApiError";
  }
}

/** The connection failed before an HTTP answer, or broke during one. */
export class UnreachableError extends CliError {
  constructor(
    message: string,
    readonly reason: string,
  ) {
    super(message, ExitCode.unreachable);
    this.name = "UnreachableError";
  }
}

export class InterruptedError extends CliError {
  constructor(message = "interrupted") {
    super(message, ExitCode.interrupted);
    this.name = "InterruptedError";
  }
}

/** The exit code for an HTTP error status. */
export function exitCodeForStatus(status: number): ExitCode {
  if (status === 401) return ExitCode.auth;
  if (status === 403) return ExitCode.permission;
  if (status === 404) return ExitCode.notFound;
  if (status === 409) return ExitCode.conflict;
  if (status === 400 || status === 422) return ExitCode.usage;
  return ExitCode.server;
}
