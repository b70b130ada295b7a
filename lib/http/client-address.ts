import { BlockList, isIP } from "node:net";
import { serverEnv } from "../env";

/**
 * The header the console's own HTTP server (scripts/console.ts) sets to the
 * socket's remote address, after removing any copy a client sent. Next.js
 * does not expose the socket to route handlers and server actions.
 */
export const PEER_HEADER = "x-runops-peer";

let trusted: BlockList | null | undefined;

/** RUNOPS_TRUSTED_PROXIES: comma-separated addresses or CIDRs of the proxies in front of the console. */
function trustedProxies(): BlockList | null {
  if (trusted !== undefined) return trusted;
  const spec = serverEnv().RUNOPS_TRUSTED_PROXIES;
  if (!spec) return (trusted = null);
  const list = new BlockList();
  for (const entry of spec
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean)) {
    const [address, bits] = entry.split("/");
    const family = isIP(address ?? "") === 6 ? "ipv6" : "ipv4";
    if (bits === undefined) list.addAddress(address ?? "", family);
    else list.addSubnet(address ?? "", Number(bits), family);
  }
  return (trusted = list);
}

function isTrusted(list: BlockList, address: string): boolean {
  const plain = address.replace(/^::ffff:/, "");
  const family = isIP(plain) === 6 ? "ipv6" : "ipv4";
  return isIP(plain) !== 0 && list.check(plain, family);
}

/**
 * The client's address for the audit log and throttling: the socket's peer,
 * unless that peer is a trusted proxy, in which case the right-most
 * `X-Forwarded-For` entry that is not itself a trusted proxy. What a client
 * writes in `X-Forwarded-For` counts for nothing when no proxy is trusted.
 */
export function clientAddress(headers: Headers): string | null {
  const peer = headers.get(PEER_HEADER);
  if (!peer) return null;
  const list = trustedProxies();
  if (!list || !isTrusted(list, peer)) return peer.replace(/^::ffff:/, "");
  const hops = (headers.get("x-forwarded-for") ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = hops[i] ?? "";
    if (!isTrusted(list, hop)) return hop;
  }
  return peer.replace(/^::ffff:/, "");
}
