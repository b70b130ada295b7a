import { z } from "zod";

/** Emails are compared lower-cased and trimmed everywhere (sign-in does the same). */
export const emailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .min(1, "Enter an email address")
  .max(254, "Use at most 254 characters")
  .pipe(z.email({ error: "Enter a valid email address" }));

export const nameSchema = z.string().trim().min(1, "Enter a name").max(100, "Use at most 100 characters");

export const PASSWORD_MIN = 10;

/** Long enough to resist guessing; no composition rules (they do not help, per NIST SP 800-63B). */
export const passwordSchema = z
  .string()
  .min(PASSWORD_MIN, `Use at least ${PASSWORD_MIN} characters`)
  .max(200, "Use at most 200 characters");

/** A new account: name, email, password typed twice. */
export const newAccountInput = z
  .object({
    name: nameSchema,
    email: emailSchema,
    password: passwordSchema,
    confirm: z.string(),
  })
  .refine((v) => v.password === v.confirm, { path: ["confirm"], message: "The passwords do not match" });
export type NewAccountInput = z.input<typeof newAccountInput>;
