import type { z } from "zod";
import { CliError, ExitCode } from "./errors.ts";

/** Checks a server answer against its schema; a mismatch names the first wrong field. */
export function parseWith<S extends z.ZodType>(schema: S, value: unknown, what: string): z.infer<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const where = issue && issue.path.length > 0 ? `${issue.path.join(".")}: ` : "";
  throw new CliError(
    `unexpected answer to ${what}: ${where}${issue?.message ?? "invalid"}`,
    ExitCode.server,
    "the server and this CLI may be of different versions",
  );
}

export function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
