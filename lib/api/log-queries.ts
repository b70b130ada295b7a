import { z } from "zod";

/** Most lines one request may ask for: a viewer asks for what it shows, not for the log. */
export const MAX_LINES_PER_REQUEST = 5000;

export const linesQuery = z
  .object({
    from: z.coerce.number().int().min(0).optional().describe("first line, 0-based"),
    to: z.coerce.number().int().min(0).optional().describe("line after the last, 0-based"),
    tail: z.coerce
      .number()
      .int()
      .min(1)
      .max(MAX_LINES_PER_REQUEST)
      .optional()
      .describe("the last N lines instead"),
  })
  .refine((q) => q.tail !== undefined || (q.from !== undefined && q.to !== undefined), {
    message: "give from and to, or tail",
  })
  .refine(
    (q) =>
      q.from === undefined ||
      q.to === undefined ||
      (q.to >= q.from && q.to - q.from <= MAX_LINES_PER_REQUEST),
    {
      message: `to must be ≥ from, and at most ${MAX_LINES_PER_REQUEST} lines at once`,
    },
  );

export const searchQuery = z.object({
  q: z.string().min(1).max(200),
  limit: z.coerce.number().int().min(1).max(5000).default(1000),
});

export const logQuery = z.object({
  after: z.coerce
    .number()
    .int()
    .min(0)
    .optional()
    .describe("resume after this sequence number (as Last-Event-ID does)"),
  format: z
    .enum(["text"])
    .optional()
    .describe("the whole log as text (for links; Accept: text/plain does the same)"),
});
