import { z } from "zod";

/** Project slugs are URL path segments and CLI arguments (`-p shop`): short, lower-case, stable. */
export const projectSlugSchema = z
  .string()
  .trim()
  .toLowerCase()
  .min(2, "Use at least 2 characters")
  .max(40, "Use at most 40 characters")
  .regex(/^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/, "Use lower-case letters, digits and inner hyphens");

export const projectNameSchema = z
  .string()
  .trim()
  .min(1, "Enter a name")
  .max(100, "Use at most 100 characters");

export const createProjectInput = z.object({ name: projectNameSchema, slug: projectSlugSchema });
export type CreateProjectInput = z.input<typeof createProjectInput>;

export const renameProjectInput = z.object({ projectId: z.string().min(1), name: projectNameSchema });
export type RenameProjectInput = z.input<typeof renameProjectInput>;
