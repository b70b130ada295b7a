import { z } from "zod";
import { roleSchema } from "../access/roles";
import type { ParsedConfig } from "../config/types";

/** The stored form of a deployment's config, validated when read back. */
const storedConfigSchema = z.object({
  apps: z.array(
    z.object({
      name: z.string(),
      sourceRoot: z.string(),
      env: z.record(z.string(), z.string()),
      workers: z.array(z.string()),
      workerEnv: z.record(z.string(), z.record(z.string(), z.string())).optional(),
    }),
  ),
  operations: z.array(
    z.object({
      app: z.string(),
      worker: z.string().nullable(),
      name: z.string(),
      role: roleSchema,
      start: z.string(),
      stop: z.string().nullable(),
      timeout: z.number().int().positive().nullable(),
    }),
  ),
});

export function parseStoredConfig(json: string | null): ParsedConfig {
  if (!json) return { apps: [], operations: [] };
  return storedConfigSchema.parse(JSON.parse(json));
}
