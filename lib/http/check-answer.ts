import { type ZodType, z } from "zod";
import { type Endpoint, apiErrorSchema } from "../api/schemas";
import { errorResponse } from "./json-route";

/**
 * Whether route answers are checked against their endpoint's contract: in
 * development and tests, not in production, where parsing every answer (a
 * page of 200 runs, every chunk of a flooding log) would cost each request
 * on the hot path for a mistake that tests already catch.
 */
export const CHECK_ANSWERS = process.env.NODE_ENV !== "production";

class ContractViolation extends Error {}

/**
 * The answer, if it is what `endpoint` declares for its status: JSON parsed
 * with the declared schema (or the API's error shape for a declared error
 * status or a 500), SSE events each checked as they pass, text allowed where
 * declared. Otherwise a loud 500 (logged) naming the endpoint and the first
 * field that is wrong; a stream that goes wrong mid-way is broken off.
 */
export async function checkAnswer(endpoint: Endpoint, res: Response): Promise<Response> {
  const where = `${endpoint.method} ${endpoint.path} → ${res.status}`;
  try {
    const type = (res.headers.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
    const answer = endpoint.responses[res.status];
    const isError = res.status === 500 || endpoint.errors.includes(res.status);
    if (type === "application/json") {
      const schema = answer?.schema ?? (isError ? apiErrorSchema : undefined);
      if (!schema) throw new ContractViolation("a JSON answer with this status is not declared");
      conform(schema, await res.clone().json());
      return res;
    }
    if (type === "text/event-stream" && answer?.events && res.body) {
      const { status, statusText, headers } = res;
      return new Response(res.body.pipeThrough(checkedEvents(answer.events, where)), {
        status,
        statusText,
        headers,
      });
    }
    if (type === "text/plain" && answer?.text !== undefined) return res;
    throw new ContractViolation(`a ${type || "typeless"} answer with this status is not declared`);
  } catch (error) {
    if (!(error instanceof ContractViolation)) throw error;
    const message = `API contract violated by ${where}: ${error.message}`;
    console.error(message);
    return errorResponse(500, "contract_violation", message);
  }
}

/** Throws unless `value` parses with `schema` and has no field the schema does not declare. */
function conform(schema: ZodType, value: unknown) {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new ContractViolation(z.prettifyError(parsed.error));
  const extra = undeclared(value, parsed.data, "");
  if (extra) throw new ContractViolation(`${extra} is not in the schema`);
}

/**
 * The first field of `sent` that parsing dropped (zod objects strip what they
 * do not declare, so an undocumented field would pass unnoticed otherwise).
 */
function undeclared(sent: unknown, kept: unknown, at: string): string | null {
  if (Array.isArray(sent) && Array.isArray(kept)) {
    for (let i = 0; i < sent.length; i++) {
      const found = undeclared(sent[i], kept[i], `${at}[${i}]`);
      if (found) return found;
    }
    return null;
  }
  if (!isObject(sent) || !isObject(kept)) return null;
  for (const key of Object.keys(sent)) {
    const path = at ? `${at}.${key}` : key;
    if (!(key in kept)) return path;
    const found = undeclared(sent[key], kept[key], path);
    if (found) return found;
  }
  return null;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/** Passes the stream through unchanged, checking each event's data against its declared schema. */
function checkedEvents(events: Record<string, ZodType>, where: string) {
  const decoder = new TextDecoder();
  let pending = "";
  return new TransformStream<Uint8Array, Uint8Array>({
    transform(bytes, controller) {
      pending += decoder.decode(bytes, { stream: true });
      let end: number;
      while ((end = pending.indexOf("\n\n")) !== -1) {
        const frame = pending.slice(0, end);
        pending = pending.slice(end + 2);
        try {
          checkFrame(frame, events);
        } catch (error) {
          if (!(error instanceof ContractViolation)) throw error;
          const message = `API contract violated by ${where}: ${error.message}`;
          console.error(message);
          controller.error(new Error(message));
          return;
        }
      }
      controller.enqueue(bytes);
    },
  });
}

function checkFrame(frame: string, events: Record<string, ZodType>) {
  let name = "message";
  const data: string[] = [];
  for (const line of frame.split("\n")) {
    if (line.startsWith(":")) continue; // a comment (keep-alive)
    const colon = line.indexOf(":");
    const field = colon === -1 ? line : line.slice(0, colon);
    const value = colon === -1 ? "" : line.slice(colon + 1).replace(/^ /, "");
    if (field === "event") name = value;
    else if (field === "data") data.push(value);
  }
  if (data.length === 0) return; // `retry:` or an id alone: no payload to check
  const schema = events[name];
  if (!schema) throw new ContractViolation(`event "${name}" is not declared`);
  let value: unknown;
  try {
    value = JSON.parse(data.join("\n"));
  } catch {
    throw new ContractViolation(`event "${name}" carries data that is not JSON`);
  }
  try {
    conform(schema, value);
  } catch (error) {
    if (error instanceof ContractViolation) {
      throw new ContractViolation(`event "${name}": ${error.message}`);
    }
    throw error;
  }
}
