import { afterEach, describe, expect, it, vi } from "vitest";

/** lib/http/client-address with RUNOPS_TRUSTED_PROXIES set as given (it is read once per process). */
async function load(trusted: string | undefined) {
  vi.resetModules();
  if (trusted === undefined) delete process.env.RUNOPS_TRUSTED_PROXIES;
  else process.env.RUNOPS_TRUSTED_PROXIES = trusted;
  return import("../../../lib/http/client-address");
}
const headers = (h: Record<string, string>) => new Headers(h);

describe("the client's address", () => {
  afterEach(() => {
    delete process.env.RUNOPS_TRUSTED_PROXIES;
  });

  it("is the socket's peer when no proxy is trusted, whatever X-Forwarded-For says", async () => {
    const { clientAddress, PEER_HEADER } = await load(undefined);
    expect(
      clientAddress(headers({ [PEER_HEADER]: "::ffff:203.0.113.7", "x-forwarded-for": "198.51.100.9" })),
    ).toBe("203.0.113.7");
  });

  it("is the right-most untrusted X-Forwarded-For hop behind a trusted proxy", async () => {
    const { clientAddress, PEER_HEADER } = await load("10.0.0.0/8, 192.0.2.1");
    const via = (xff: string) =>
      clientAddress(headers({ [PEER_HEADER]: "10.1.2.3", "x-forwarded-for": xff }));
    // A client may prepend anything; the hop the proxy itself appended is the one that counts.
    expect(via("1.1.1.1, 198.51.100.9")).toBe("198.51.100.9");
    expect(via("198.51.100.9, 192.0.2.1")).toBe("198.51.100.9");
    // A peer that is not a trusted proxy is believed about nothing.
    expect(clientAddress(headers({ [PEER_HEADER]: "203.0.113.7", "x-forwarded-for": "198.51.100.9" }))).toBe(
      "203.0.113.7",
    );
  });

  it("is unknown when the request did not come through the console's server", async () => {
    const { clientAddress } = await load(undefined);
    expect(clientAddress(headers({ "x-forwarded-for": "198.51.100.9" }))).toBeNull();
  });
});
