import path from "node:path";
import { z } from "zod";
import { environmentTypeSchema } from "../access/roles";

/** Environment names are URL path segments and PLATFORM_ENVIRONMENT values: slug-like. */
export const environmentNameSchema = z
  .string()
  .trim()
  .toLowerCase()
  .min(1, "Enter a name")
  .max(63, "Use at most 63 characters")
  .regex(/^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/, "Use lower-case letters, digits and inner hyphens");

/**
 * Where an environment's apps live. Only "local" (a directory on the worker's
 * host) exists today; "ssh" (targetHost + directory) is reserved in the model
 * and the form, and refused here until its executor exists.
 */
export const targetKindSchema = z.enum(["local", "ssh"]).refine((kind) => kind === "local", {
  message: "SSH targets are not supported yet: use a directory on the worker's host",
});

export const targetPathSchema = z
  .string()
  .trim()
  .min(1, "Enter the directory that holds .upsun/")
  .max(4096, "Use at most 4096 characters")
  .refine((p) => !p.includes("\0"), "The path contains a NUL character")
  .refine((p) => path.isAbsolute(p), "Use an absolute path, e.g. /srv/shop")
  .transform((p) => {
    const normal = path.normalize(p);
    return normal.length > 1 ? normal.replace(/\/+$/, "") : normal;
  });

export const createEnvironmentInput = z.object({
  projectId: z.string().min(1),
  name: environmentNameSchema,
  type: environmentTypeSchema,
  targetKind: targetKindSchema.default("local"),
  targetPath: targetPathSchema,
});
export type CreateEnvironmentInput = z.input<typeof createEnvironmentInput>;

/** The name a deleted environment is kept under: "~" never occurs in a live name, so it frees the name. */
export function deletedEnvironmentName(name: string, id: string): string {
  return `${name}~${id}`;
}

/** The name an environment had before it was deleted. */
export function originalEnvironmentName(name: string): string {
  return name.split("~")[0] ?? name;
}
