import { z } from "zod";
import type { ConfigWarning } from "./types";

const spotSchema = z.object({ line: z.number().int().nonnegative(), column: z.number().int().nonnegative() });

/**
 * A key set twice in a config (ConfigWarning): how a deployment stores it and how the API
 * shows it. Pure zod, so the CLI's bundle may hold it.
 */
export const configWarningSchema = z.object({
  file: z.string().describe("the config file, e.g. .upsun/config.yaml; both occurrences are in it"),
  path: z.string().describe("YAML path of the key, e.g. applications.app.operations.clear.role"),
  first: spotSchema.describe("where the key is first written (overridden); line 0 when no position applies"),
  kept: spotSchema.describe("where it is last written: the value that counts, as on Upsun"),
  message: z.string(),
}) satisfies z.ZodType<ConfigWarning>;
