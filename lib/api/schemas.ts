/**
 * The HTTP API's contract, in one place: every request and answer shape and
 * every endpoint. Route handlers parse requests with these and, in development
 * and tests, check their answers against them; the OpenAPI document is
 * generated from them; the CLI and the console's browser code parse answers
 * with them. Only zod and other pure schema modules may be imported from here
 * (the CLI bundles this graph): no server-only, Prisma or Node modules.
 */
export * from "./resources";
export * from "./log-schemas";
export * from "./log-queries";
export * from "./endpoints";
