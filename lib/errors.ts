/**
 * A failure the caller should see, with the HTTP status and stable code the
 * API answers with. Anything else that is thrown is a bug (500).
 */
export class AppError extends Error {
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 409 | 415 | 422 | 429 | 503,
    readonly code: string,
    message: string,
    /** Machine-readable specifics, e.g. the apps an ambiguous operation name exists on. */
    readonly details?: unknown,
    /** HTTP headers the answer must carry, e.g. `Retry-After` on a 429. */
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = "AppError";
  }
}

export const notFound = (what: string) => new AppError(404, "not_found", `${what} not found`);
