import { ZodError } from "zod";
import { AppError } from "../errors";

export function errorResponse(
  status: number,
  code: string,
  message: string,
  details?: unknown,
  headers?: Record<string, string>,
): Response {
  return Response.json(
    { error: { code, message, ...(details === undefined ? {} : { details }) } },
    { status, headers },
  );
}

/**
 * Turns what a route handler throws into the API's JSON error shape: AppError
 * with its status, invalid input as 400, anything else as a logged 500.
 */
export async function handleErrors(handler: () => Promise<Response>): Promise<Response> {
  try {
    return await handler();
  } catch (error) {
    if (error instanceof AppError)
      return errorResponse(error.status, error.code, error.message, error.details, error.headers);
    if (error instanceof ZodError) {
      return errorResponse(400, "invalid_request", "The request is not valid", error.issues);
    }
    console.error(error);
    return errorResponse(500, "internal", "Internal error");
  }
}
