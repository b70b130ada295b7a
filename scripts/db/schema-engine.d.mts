// Types for scripts/db/schema-engine.mjs (imported by tests).
import type * as SchemaEngineWasm from "@prisma/schema-engine-wasm";

/** What the engine needs from a driver adapter factory (e.g. PrismaBetterSqlite3, PrismaPg). */
export interface MigrationAwareAdapterFactory {
  readonly provider: string;
  readonly adapterName: string;
  connect(): Promise<unknown>;
  connectToShadowDb(): Promise<unknown>;
}

/** The schema engine's wasm-bindgen module, loaded once per process. */
export declare function loadSchemaEngine(): Promise<typeof SchemaEngineWasm>;

/** The factory wrapped the way SchemaEngine.new expects its third argument. */
export declare function bindFactory(factory: MigrationAwareAdapterFactory): Promise<object>;

/** SQL taking a database from schema `from` (null: nothing) to schema `to`; "" when they match. */
export declare function diffSchemas(args: {
  provider: "sqlite" | "postgresql";
  from: string | null;
  to: string;
}): Promise<string>;
