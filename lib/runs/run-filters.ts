import { z } from "zod";
import { runResultSchema, runStateSchema } from "./run-model";

/**
 * The filters of a run history page. Apart from list-runs.ts (which reads the
 * database) so the API's schemas, which the CLI imports, stay free of server code.
 */
export const runFiltersSchema = z.object({
  operation: z.string().min(1).optional(),
  app: z.string().min(1).optional(),
  state: runStateSchema.optional(),
  result: runResultSchema.optional(),
  /** Who triggered: a user id or email. */
  user: z.string().min(1).optional().describe("who triggered: a user id or email"),
  /** Runs created at or after this time (ISO 8601). */
  since: z
    .union([z.iso.datetime({ offset: true }), z.iso.date()])
    .optional()
    .describe("runs created at or after this time (ISO 8601 date or time)"),
  /** Runs created before this time (ISO 8601): the CLI's `run:list --start`, as Upsun's activity:list has it. */
  before: z
    .union([z.iso.datetime({ offset: true }), z.iso.date()])
    .optional()
    .describe("runs created before this time (ISO 8601 date or time)"),
  /** Keyset cursor: the id of the last run of the previous page. */
  cursor: z.string().min(1).optional().describe("the previous page's nextCursor"),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type RunFilters = z.input<typeof runFiltersSchema>;
