import { expect, test } from "../fixtures";
import type { Db } from "../../lib/db/client";
import { CONCURRENT_READS } from "../../lib/http/read-admission";
import { bearer, e2eDb, tokenFor } from "./support";

/**
 * Reads must never starve writes: 200 clients listing runs in a loop, then a
 * trigger. Without admission the trigger got 1/200 of the console and waited
 * behind every read in flight; now reads wait their turn and writes do not.
 */
let db: Db;
test.beforeAll(async () => {
  db = e2eDb();
});
test.afterAll(async () => db.$disconnect());

const CLIENTS = 200;

test("a trigger is answered before the reads that were already waiting when it was sent", async ({
  baseURL,
}) => {
  const headers = bearer(await tokenFor(db, "admin@example.com", "read-flood"));
  const env = `${baseURL}/api/v1/projects/shop/environments/main`;
  let stop = false;
  let answered = 0;
  const failures: string[] = [];
  const client = async () => {
    while (!stop) {
      const res = await fetch(`${env}/runs?limit=50`, { headers });
      await res.arrayBuffer();
      if (res.status === 200) answered++;
      else failures.push(String(res.status));
    }
  };
  const flood = Array.from({ length: CLIENTS }, client);
  // The flood is on: every client has had answers and is waiting for its next one.
  await expect.poll(() => answered, { timeout: 60_000 }).toBeGreaterThan(CLIENTS * 2);

  const before = answered;
  const res = await fetch(`${env}/runs`, {
    method: "POST",
    headers: { ...headers, "content-type": "application/json" },
    body: JSON.stringify({ operation: "ping", app: "storefront" }),
  });
  const readsMeanwhile = answered - before;
  stop = true;
  await Promise.all(flood);

  expect(res.status).toBe(202);
  expect((await res.json()).operation).toBe("ping");
  // About CLIENTS reads were in flight when the trigger was sent; it did not wait for them all.
  expect(readsMeanwhile).toBeLessThan(CLIENTS - CONCURRENT_READS);
  expect(failures).toEqual([]);
});
