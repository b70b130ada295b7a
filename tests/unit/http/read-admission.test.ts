import { describe, expect, it } from "vitest";
import { AppError } from "../../../lib/errors";
import { Admission } from "../../../lib/http/read-admission";

/** A piece of work that runs until `finish()`. */
function pending() {
  let finish!: () => void;
  const done = new Promise<void>((resolve) => (finish = resolve));
  return { done, finish };
}

/** A few turns of the event loop: the next in line is let in on a later turn. */
async function turns() {
  for (let i = 0; i < 3; i++) await new Promise((r) => setImmediate(r));
}

describe("read admission", () => {
  it("runs at most `limit` at once and lets the others in, in the order they came", async () => {
    const admission = new Admission(2, 10);
    const works = Array.from({ length: 5 }, pending);
    const started: number[] = [];
    const all = works.map((w, i) =>
      admission.run(async () => {
        started.push(i);
        await w.done;
        return i;
      }),
    );
    await turns();
    expect(started).toEqual([0, 1]);
    works[1]?.finish();
    await turns();
    expect(started).toEqual([0, 1, 2]);
    works[0]?.finish();
    works[2]?.finish();
    await turns();
    expect(started).toEqual([0, 1, 2, 3, 4]);
    works[3]?.finish();
    works[4]?.finish();
    expect(await Promise.all(all)).toEqual([0, 1, 2, 3, 4]);
  });

  it("frees the slot of work that failed", async () => {
    const admission = new Admission(1, 10);
    await expect(admission.run(async () => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    expect(await admission.run(async () => "next")).toBe("next");
  });

  it("answers 503 with Retry-After once the line is full, rather than let it grow", async () => {
    const admission = new Admission(1, 1);
    const blocker = pending();
    const first = admission.run(() => blocker.done);
    const second = admission.run(async () => "second");
    const refused = await admission.run(async () => "third").catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(AppError);
    expect(refused).toMatchObject({ status: 503, code: "busy", headers: { "retry-after": "1" } });
    blocker.finish();
    await first;
    expect(await second).toBe("second");
  });
});
