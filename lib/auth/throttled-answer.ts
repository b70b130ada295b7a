import { AsyncLocalStorage } from "node:async_hooks";
import { waitText } from "./throttle";

type Slot = { retryAfterSec?: number };

/**
 * next-auth's credentials callback answers every refusal of `authorize` the
 * same way (401 and an error URL), and a 429 is the honest answer to a
 * throttled attempt. So the route handler runs next-auth inside a slot that
 * `authorize` marks when the throttle refused, and answers the 429 itself.
 */
const slots = new AsyncLocalStorage<Slot>();

/** Called by `authorize`: this request is answered 429 with this Retry-After. */
export function markThrottled(retryAfterSec: number) {
  const slot = slots.getStore();
  if (slot) slot.retryAfterSec = retryAfterSec;
}

export function throttledMessage(retryAfterSec: number): string {
  return `Too many failed sign-ins. Try again in ${waitText(retryAfterSec)}.`;
}

/**
 * The 429 of a throttled sign-in: `Retry-After`, and a JSON body the sign-in
 * form shows (`error.message`). It also has next-auth's own `url` field (an
 * error URL), so next-auth's client `signIn()` reads it as a failure.
 */
export function throttledResponse(retryAfterSec: number, baseUrl: string): Response {
  return Response.json(
    {
      url: `${baseUrl}/signin?error=Throttled`,
      error: { code: "throttled", message: throttledMessage(retryAfterSec), details: { retryAfterSec } },
    },
    { status: 429, headers: { "Retry-After": String(retryAfterSec), "Cache-Control": "no-store" } },
  );
}

/** Runs next-auth's handler; a sign-in the throttle refused is answered 429 instead of its answer. */
export async function answeringThrottled(
  baseUrl: string,
  handle: () => Promise<Response>,
): Promise<Response> {
  const slot: Slot = {};
  const response = await slots.run(slot, handle);
  return slot.retryAfterSec === undefined ? response : throttledResponse(slot.retryAfterSec, baseUrl);
}
