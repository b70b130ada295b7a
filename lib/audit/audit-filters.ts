import { z } from "zod";

/** A query-string value: absent and "" both mean "no filter". */
const optionalText = (max: number) =>
  z.preprocess(
    (v) => (typeof v === "string" && v.trim() !== "" ? v.trim() : undefined),
    z.string().max(max).optional(),
  );

const optionalDate = z.preprocess(
  (v) => (typeof v === "string" && v.trim() !== "" ? v.trim() : undefined),
  z.iso.date({ error: "Use a date like 2026-01-31" }).optional(),
);

/**
 * Filters of an audit log page: action ("run.triggered", or "run.*" for a
 * group), actor (the email shown), a date range in UTC (both days included),
 * and the keyset cursor (`before` = id of the last event already shown).
 */
export const auditFiltersSchema = z
  .object({
    action: optionalText(100),
    actor: optionalText(254),
    from: optionalDate,
    to: optionalDate,
    before: optionalText(40),
    limit: z.coerce.number().int().min(1).max(200).default(50),
  })
  .refine((f) => !f.from || !f.to || f.from <= f.to, {
    path: ["to"],
    message: "The end date is before the start date",
  });
export type AuditFilters = z.input<typeof auditFiltersSchema>;

const DAY_MS = 86_400_000;

/** The Prisma `where` for the filters (without the project condition). */
export function auditWhere(f: z.output<typeof auditFiltersSchema>) {
  return {
    action: f.action?.endsWith(".*") ? { startsWith: f.action.slice(0, -1) } : f.action,
    actorLabel: f.actor?.toLowerCase(),
    createdAt:
      f.from || f.to
        ? {
            gte: f.from ? new Date(`${f.from}T00:00:00.000Z`) : undefined,
            lt: f.to ? new Date(new Date(`${f.to}T00:00:00.000Z`).getTime() + DAY_MS) : undefined,
          }
        : undefined,
    id: f.before ? { lt: f.before } : undefined,
  };
}
