import { z } from "zod";

export const runSourceSchema = z.enum(["console", "api", "cli"]);
export type RunSource = z.infer<typeof runSourceSchema>;

/** Who is asking, and through which door. */
export type Actor = { userId: string; email: string; name: string; source: RunSource };
