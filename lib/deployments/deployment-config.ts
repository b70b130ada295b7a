import { z } from "zod";
import { roleSchema } from "../access/roles";
import { configWarningSchema } from "../config/config-warning-schema";
import type { ConfigWarning, ParsedConfig } from "../config/types";

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
  // Deployments stored before warnings existed have none.
  warnings: z.array(configWarningSchema).default([]),
});

/** A deployment's config and the warnings its files gave when it was read. */
export type DeployedConfig = ParsedConfig & { warnings: ConfigWarning[] };

/** What `Deployment.config` holds: the parsed config with its warnings beside it. */
export function storedConfig(config: ParsedConfig, warnings: readonly ConfigWarning[]): DeployedConfig {
  return { ...config, warnings: [...warnings] };
}

export function parseStoredConfig(json: string | null): DeployedConfig {
  if (!json) return { apps: [], operations: [], warnings: [] };
  return storedConfigSchema.parse(JSON.parse(json));
}
