import type { TestProject } from "vitest/node";
import { startPostgres } from "./postgres";

declare module "vitest" {
  export interface ProvidedContext {
    postgresUrl: string;
  }
}

/** One PostgreSQL server for the whole integration run, on a loopback port. */
export default async function setup(project: TestProject) {
  const pg = await startPostgres();
  project.provide("postgresUrl", pg.url);
  return async () => {
    await pg.stop();
  };
}
