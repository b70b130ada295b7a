#!/usr/bin/env node
// Stand-in for Prisma's native schema engine, which cannot be downloaded here
// (see docs/decisions/0002-prisma-offline.md).
//
// `prisma generate` needs PRISMA_SCHEMA_ENGINE_BINARY to name an existing file
// but never runs it; scripts/db/generate.mjs points it at this file. When
// prisma.config.ts finds no real engine it points the stock CLI here too, so
// `prisma migrate …` / `prisma db …` fail loudly instead of exiting 0 and
// doing nothing.
const message =
  "runops: Prisma's native schema engine is not installed (it is downloaded from " +
  "binaries.prisma.sh, which is unreachable here). Use `npm run db:migrate` to apply " +
  "migrations and `npm run db:new-migration -- <name>` to author one; see " +
  "docs/decisions/0002-prisma-offline.md.";
// The Prisma CLI drops the first line of the engine's stderr and parses each
// further line as a JSON log record (a trailing newline would break that).
const record = { level: "ERROR", target: "runops::no_schema_engine", fields: { message } };
process.stderr.write(`runops: no schema engine\n${JSON.stringify(record)}`);
process.exit(1);
