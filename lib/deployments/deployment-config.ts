import { z } from "zod";
import { roleSchema } from "../access/roles";
import type { ConfigWarning, ParsedConfig } from "../config/types";

const spotSchema = z.object({ line: z.number().int().nonnegative(), column: z.number().int().nonnegative() });

/** A key set twice in the config (lib/config ConfigWarning), as stored and as the API shows it. */
export const configWarningSchema = z.object({
  file: z.string().describe("the config file, e.g. .upsun/config.yaml"),
  path: z.string().describe("YAML path of the key, e.g. applications.app.operations.clear.role"),
  first: spotSchema.describe("where the key is first written (overridden); line 0 when no position applies"),
  kept: spotSchema.describe("where it is last written: the value that counts, as on Upsun"),
  message: z.string(),
}) satisfies z.ZodType<ConfigWarning>;

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
