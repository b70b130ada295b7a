import "server-only";
import { notFound } from "next/navigation";
import { AppError } from "../errors";

/**
 * For pages: what the use case answers, or the not-found page when it answers 404 (something
 * outside the actor's projects looks exactly like something that does not exist). With
 * `forbidden: true`, a 403 too, for pages that only exist for those allowed.
 */
export async function orNotFound<T>(work: Promise<T>, { forbidden = false } = {}): Promise<T> {
  try {
    return await work;
  } catch (e) {
    if (e instanceof AppError && (e.status === 404 || (forbidden && e.status === 403))) notFound();
    throw e;
  }
}
