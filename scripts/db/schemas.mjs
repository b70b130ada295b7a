// Shared by scripts/db/generate.mjs and scripts/db/new-migration.mjs: where
// the two Prisma schemas live and how the PostgreSQL one is derived from the
// SQLite one (the single source of truth). See docs/decisions/0002.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

export const PROVIDERS = /** @type {const} */ ({
  sqlite: {
    provider: "sqlite",
    schemaPath: join(ROOT, "prisma/schema.prisma"),
    migrationsDir: join(ROOT, "prisma/migrations"),
    output: "../lib/db/generated/sqlite",
  },
  postgresql: {
    provider: "postgresql",
    schemaPath: join(ROOT, "prisma/postgres/schema.prisma"),
    migrationsDir: join(ROOT, "prisma/postgres/migrations"),
    output: "../../lib/db/generated/postgres",
  },
});

const HEADER = [
  "// GENERATED FILE - DO NOT EDIT.",
  "// Derived from prisma/schema.prisma by scripts/db/generate.mjs (run by",
  "// `npm install` / `npm run postinstall`): same models, provider postgresql,",
  "// client output lib/db/generated/postgres. Edit prisma/schema.prisma instead.",
  "",
].join("\n");

/** Thrown for problems a developer must fix; scripts print only the message. */
export class UserError extends Error {}

/**
 * Replaces `key = "value"` inside the single `<kind> <name> { ... }` block of
 * that kind. Fails loudly instead of guessing when the schema's shape changes.
 */
function replaceInBlock(schema, kind, key, expected, replacement) {
  const blockRe = new RegExp(`^${kind}\\s+\\w+\\s*\\{[^}]*\\}`, "gm");
  const blocks = schema.match(blockRe) ?? [];
  if (blocks.length !== 1) {
    throw new UserError(
      `prisma/schema.prisma: expected exactly one \`${kind}\` block, found ${blocks.length}.`,
    );
  }
  const block = blocks[0];
  const lineRe = new RegExp(`^(\\s*${key}\\s*=\\s*)"([^"]*)"`, "m");
  const line = block.match(lineRe);
  if (!line) throw new UserError(`prisma/schema.prisma: no \`${key}\` in the ${kind} block.`);
  if (line[2] !== expected) {
    throw new UserError(
      `prisma/schema.prisma: ${kind} ${key} is "${line[2]}", expected "${expected}" ` +
        "(the PostgreSQL schema is derived from a SQLite schema).",
    );
  }
  return schema.replace(block, block.replace(lineRe, `$1"${replacement}"`));
}

/** The PostgreSQL schema text for a given SQLite schema text. */
export function derivePostgresSchema(sqliteSchema) {
  let out = replaceInBlock(sqliteSchema, "datasource", "provider", "sqlite", "postgresql");
  out = replaceInBlock(out, "generator", "output", PROVIDERS.sqlite.output, PROVIDERS.postgresql.output);
  return HEADER + out;
}

/** Schema text of both providers, from prisma/schema.prisma. */
export function readSchemas() {
  if (!existsSync(PROVIDERS.sqlite.schemaPath)) {
    throw new UserError(`Missing ${PROVIDERS.sqlite.schemaPath}.`);
  }
  const sqlite = readFileSync(PROVIDERS.sqlite.schemaPath, "utf8");
  return { sqlite, postgresql: derivePostgresSchema(sqlite) };
}

/** Writes `content` to `path` unless it already holds exactly that. */
export function writeIfChanged(path, content) {
  if (existsSync(path) && readFileSync(path, "utf8") === content) return false;
  writeFileSync(path, content);
  return true;
}
