import { z } from "zod";

import { type Role, roleSchema } from "../access/roles";
import { describeValue } from "./describe-value";
import { normaliseSourceRoot } from "./normalise-source-root";
import { keyToString } from "./yaml-path";
import { isYamlMap } from "./yaml-map";

// Only what runops uses is validated; every object is loose so Upsun's other keys pass untouched.

const roleNames = roleSchema.options;
const ROLE_LIST = `${roleNames.slice(0, -1).join(", ")} or ${roleNames[roleNames.length - 1] ?? ""}`;

export const DEFAULT_ROLE: Role = "contributor";

/** A YAML mapping (loaded as a `Map`) as a plain object; null or absent reads as empty. */
function mapping<Shape extends z.ZodRawShape>(shape: Shape) {
  return z.preprocess((value, ctx) => {
    if (value === null || value === undefined) return {};
    if (isYamlMap(value)) return mapToObject(value);
    ctx.addIssue({
      code: "custom",
      message: `expected a mapping, got ${describeValue(value)}`,
      input: value,
    });
    return z.NEVER;
  }, z.looseObject(shape));
}

// Object.fromEntries defines "__proto__" as an own key instead of replacing the prototype.
function mapToObject(map: Map<unknown, unknown>): Record<string, unknown> {
  const entries: Array<[string, unknown]> = [];
  for (const [key, value] of map) {
    const name = keyToString(key);
    if (name !== null) entries.push([name, value]);
  }
  return Object.fromEntries(entries);
}

function noNul(text: string): boolean {
  return !text.includes("\0");
}

const roleField = z.custom<Role>((value) => roleSchema.safeParse(value).success, {
  error: (issue) => `expected ${ROLE_LIST}, got ${describeValue(issue.input)}`,
});

const startField = z
  .string({
    error: (issue) =>
      issue.input === undefined
        ? "required: the command the operation runs"
        : `expected a string, got ${describeValue(issue.input)}`,
  })
  .refine((text) => text.trim() !== "", { error: "must not be empty" })
  .refine(noNul, { error: "must not contain a NUL character" });

const stopField = z
  .string({ error: (issue) => `expected a string, got ${describeValue(issue.input)}` })
  .refine(noNul, { error: "must not contain a NUL character" })
  // An empty stop command would do nothing: say so with null, which skips straight to signals.
  .transform((text) => (text.trim() === "" ? null : text));

const timeoutField = z.custom<number>(
  (value) => typeof value === "number" && Number.isSafeInteger(value) && value > 0,
  { error: (issue) => `expected a positive integer (seconds), got ${describeValue(issue.input)}` },
);

const sourceRootField = z
  .string({ error: (issue) => `expected a string, got ${describeValue(issue.input)}` })
  .transform((root, ctx) => {
    const result = normaliseSourceRoot(root);
    if (result.ok) return result.root;
    ctx.addIssue({ code: "custom", message: result.message, input: root });
    return z.NEVER;
  });

type EnvScalar = string | number | boolean | bigint | null;

const envValue = z
  .custom<EnvScalar>(
    (value) => value === null || ["string", "number", "boolean", "bigint"].includes(typeof value),
    { error: (issue) => `expected a string, number, boolean or null, got ${describeValue(issue.input)}` },
  )
  // Upsun hands env values to processes as text; an empty value (`FOO:`) is an empty string.
  .transform((value) => (value === null ? "" : String(value)))
  .refine(noNul, { error: "must not contain a NUL character" });

// A name the OS accepts in an environment block; anything else would make spawning the command fail.
function isEnvName(name: string): boolean {
  return name !== "" && !name.includes("=") && noNul(name);
}

const envField = z.preprocess(
  (value, ctx) => {
    if (value === null || value === undefined) return {};
    if (isYamlMap(value)) return mapToObject(value);
    ctx.addIssue({
      code: "custom",
      message: `expected a mapping, got ${describeValue(value)}`,
      input: value,
    });
    return z.NEVER;
  },
  z.record(z.string().refine(isEnvName), envValue, {
    error: (issue) =>
      issue.code === "invalid_key"
        ? `invalid environment variable name ${describeValue(issue.input)}`
        : undefined,
  }),
);

const variablesField = mapping({ env: envField });

/** `applications.<app>` fields other than operations and workers (walked in file order elsewhere). */
export const appFieldsSchema = mapping({
  source: mapping({ root: sourceRootField.nullish() }),
  variables: variablesField,
});

/** `applications.<app>.workers.<worker>` fields other than operations. */
export const workerFieldsSchema = mapping({ variables: variablesField });

/** `operations.<name>`. */
export const operationSchema = mapping({
  role: roleField.optional(),
  commands: mapping({ start: startField, stop: stopField.nullish() }),
  timeout: timeoutField.nullish(),
}).transform((op) => ({
  role: op.role ?? DEFAULT_ROLE,
  start: op.commands.start,
  stop: op.commands.stop ?? null,
  timeout: op.timeout ?? null,
}));
