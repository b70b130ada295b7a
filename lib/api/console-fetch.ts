import type { z } from "zod";
import { apiErrorSchema } from "./resources";

/** An API call the server refused or failed, with its status and the server's message. */
export class ApiCallError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = "ApiCallError";
  }
}

/**
 * The console's browser code reading /api/v1 with its session cookie: the
 * answer parsed with the endpoint's schema (lib/api/schemas.ts), so what a
 * component holds is what the contract says, never an unchecked cast.
 */
export async function getApi<S extends z.ZodType>(url: string, schema: S): Promise<z.output<S>> {
  const res = await fetch(url, { cache: "no-store" });
  const body: unknown = await res.json().catch(() => undefined);
  if (!res.ok) {
    const refusal = apiErrorSchema.safeParse(body);
    throw new ApiCallError(res.status, refusal.success ? refusal.data.error.message : `HTTP ${res.status}`);
  }
  return schema.parse(body);
}

/** The data of one Server-Sent Event, parsed with the schema its endpoint declares for it. */
export function eventData<S extends z.ZodType>(event: Event, schema: S): z.output<S> {
  if (!(event instanceof MessageEvent) || typeof event.data !== "string") {
    throw new TypeError(`the ${event.type} event carries no data`);
  }
  return schema.parse(JSON.parse(event.data));
}
