import { z } from "zod";

export const runSourceSchema = z.enum(["console", "api", "cli"]);
export type RunSource = z.infer<typeof runSourceSchema>;

/** Who is asking, through which door, and from where (for the audit log). */
export type Actor = { userId: string; email: string; name: string; source: RunSource; ip?: string | null };
