import { afterEach, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import type { Endpoint } from "../../../lib/api/schemas";
import { CHECK_ANSWERS, checkAnswer } from "../../../lib/http/check-answer";
import { errorResponse } from "../../../lib/http/json-route";

const thing = z.object({ id: z.string(), count: z.number().int() });
const endpoint: Endpoint = {
  method: "GET",
  path: "/things/{id}",
  summary: "a thing",
  responses: {
    200: { description: "the thing", schema: thing },
    202: { description: "its changes", events: { change: thing } },
  },
  errors: [404],
};

const sse = (text: string) =>
  new Response(text, { status: 202, headers: { "content-type": "text/event-stream; charset=utf-8" } });

describe("answers checked against their endpoint's contract (development and tests)", () => {
  const logged = vi.spyOn(console, "error").mockImplementation(() => {});
  afterEach(() => logged.mockClear());

  it("is on under vitest", () => {
    expect(CHECK_ANSWERS).toBe(true);
  });

  it("passes an answer that is what the endpoint declares, and the API's error shape for a declared error", async () => {
    const ok = Response.json({ id: "a", count: 2 });
    expect(await checkAnswer(endpoint, ok)).toBe(ok);
    const missing = errorResponse(404, "not_found", "thing not found");
    expect(await checkAnswer(endpoint, missing)).toBe(missing);
    expect(logged).not.toHaveBeenCalled();
  });

  it.each([
    ["a wrong field", Response.json({ id: "a", count: "2" }), "count"],
    ["a field the schema does not declare", Response.json({ id: "a", count: 2, secret: "x" }), "secret"],
    ["an undeclared status", Response.json({ id: "a", count: 2 }, { status: 201 }), "not declared"],
    ["an error of another shape", Response.json({ message: "nope" }, { status: 404 }), "error"],
    [
      "an undeclared content type",
      new Response("<p>hi</p>", { headers: { "content-type": "text/html" } }),
      "text/html",
    ],
  ])("turns %s into a logged 500 that says what is wrong", async (_, res, needle) => {
    const checked = await checkAnswer(endpoint, res);
    expect(checked.status).toBe(500);
    const body = await checked.json();
    expect(body.error.code).toBe("contract_violation");
    expect(body.error.message).toContain("GET /things/{id}");
    expect(body.error.message).toContain(needle);
    expect(logged).toHaveBeenCalledWith(body.error.message);
  });

  it("passes a stream's bytes through unchanged while its events are what is declared", async () => {
    const text = 'retry: 1000\n\n: keep-alive\n\nid: 1\nevent: change\ndata: {"id":"a","count":1}\n\n';
    const checked = await checkAnswer(endpoint, sse(text));
    expect(checked.status).toBe(202);
    expect(checked.headers.get("content-type")).toContain("text/event-stream");
    expect(await checked.text()).toBe(text);
  });

  it("breaks a stream off at the first event that is not what is declared", async () => {
    const good = 'event: change\ndata: {"id":"a","count":1}\n\n';
    for (const [bad, needle] of [
      ['event: change\ndata: {"id":"a"}\n\n', "count"],
      ['event: other\ndata: {"id":"a","count":1}\n\n', 'event "other" is not declared'],
      ["event: change\ndata: {oops\n\n", "not JSON"],
    ] as const) {
      const checked = await checkAnswer(endpoint, sse(good + bad));
      await expect(checked.text()).rejects.toThrow(needle);
      expect(logged).toHaveBeenLastCalledWith(expect.stringContaining(needle));
    }
  });
});
