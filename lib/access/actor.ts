import { z } from "zod";

export const runSourceSchema = z.enum(["console", "api", "cli"]);
export type RunSource = z.infer<typeof runSourceSchema>;

/**
 * Who is asking, through which door, and from where (for the audit log).
 * `sessionId` is the console session the request came with (none for API
 * tokens): use cases that end sessions keep the caller's own.
 */
export type Actor = {
  userId: string;
  email: string;
  name: string;
  source: RunSource;
  ip?: string | null;
  sessionId?: string;
};
