import path from "node:path";
import { z } from "zod";
import { environmentTypeSchema } from "../access/roles";
import { sshTargetSchema } from "../ssh/target";

/** Environment names are URL path segments and PLATFORM_ENVIRONMENT values: slug-like. */
export const environmentNameSchema = z
  .string()
  .trim()
  .toLowerCase()
  .min(1, "Enter a name")
  .max(63, "Use at most 63 characters")
  .regex(/^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/, "Use lower-case letters, digits and inner hyphens");

/** Where an environment's apps live: a directory on its pool's worker hosts, or on an SSH host. */
export const targetKindSchema = z.enum(["local", "ssh"]);

/** A worker pool's name (runops worker --pool): slug-like, like environment names. */
export const poolSchema = z
  .string()
  .trim()
  .toLowerCase()
  .max(63, "Use at most 63 characters")
  .regex(/^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)?$/, "Use lower-case letters, digits and inner hyphens")
  .transform((p) => p || "default");

/** A host key fingerprint as ssh-keygen -l shows it. */
export const hostKeySchema = z
  .string()
  .trim()
  .regex(/^SHA256:[A-Za-z0-9+/]{43}$/, "Use the SHA256:… fingerprint runops showed");

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

const optionalText = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => (typeof v === "string" && v.trim() === "" ? undefined : v), schema.optional());

export const createEnvironmentInput = z
  .object({
    projectId: z.string().min(1),
    name: environmentNameSchema,
    type: environmentTypeSchema,
    targetKind: targetKindSchema.default("local"),
    targetPath: targetPathSchema,
    /** SSH only: user@host[:port], stored as user@host:port. */
    targetHost: optionalText(sshTargetSchema),
    /** SSH only: the host key the admin confirmed; without it nothing is created, the key is shown. */
    hostKey: optionalText(hostKeySchema),
    pool: optionalText(poolSchema),
  })
  .superRefine((input, ctx) => {
    if (input.targetKind === "ssh" && !input.targetHost) {
      ctx.addIssue({ code: "custom", path: ["targetHost"], message: "Enter user@host or user@host:port" });
    }
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
