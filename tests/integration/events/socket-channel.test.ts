import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { ChannelMessage, RunEventChannel } from "../../../lib/events/run-events";
import { SocketChannel } from "../../../lib/events/socket-channel";
import { waitFor } from "../../support/harness";

/** Everything a channel delivers, in order. */
function record(channel: RunEventChannel) {
  const seen: ChannelMessage[] = [];
  channel.subscribe((m) => seen.push(m));
  return seen;
}

describe("the run event channel between the processes of one host (Unix socket)", () => {
  const open: RunEventChannel[] = [];
  const dir = mkdtempSync(path.join(tmpdir(), "runops-events-"));
  const socket = path.join(dir, "run-events.sock");
  afterEach(async () => {
    for (const c of open.splice(0)) await c.close();
  });

  it("relays an event from one worker to the console and to the other workers, and to the sender's own subscribers", async () => {
    const hub = await SocketChannel.serve(socket);
    const a = SocketChannel.join(socket);
    const b = SocketChannel.join(socket);
    open.push(hub, a, b);
    const [atHub, atA, atB] = [record(hub), record(a), record(b)];
    await waitFor(() => atA.some((m) => m.type === "resync") && atB.some((m) => m.type === "resync"));

    a.publish({ type: "output", runId: "r1", seq: 7 });
    hub.publish({ type: "cancel-requested", runId: "r1", environmentId: "e1" });
    const want = [
      { type: "output", runId: "r1", seq: 7 },
      { type: "cancel-requested", runId: "r1", environmentId: "e1" },
    ];
    // Events of different publishers have no common order; each arrives once everywhere.
    const events = (seen: ChannelMessage[]) =>
      seen.filter((m) => m.type !== "resync").sort((x, y) => x.type.localeCompare(y.type));
    for (const seen of [atHub, atA, atB]) {
      await waitFor(() => events(seen).length === 2);
      expect(events(seen)).toEqual(want.sort((x, y) => x.type.localeCompare(y.type)));
    }
    // Only runops' own user may connect.
    expect(statSync(socket).mode & 0o777).toBe(0o600);
  });

  it("a worker reconnects when the console restarts, and is told to resync (events in between were lost)", async () => {
    const first = await SocketChannel.serve(socket);
    const worker = SocketChannel.join(socket);
    open.push(worker);
    const atWorker = record(worker);
    await waitFor(() => atWorker.filter((m) => m.type === "resync").length === 1);
    await first.close();

    const second = await SocketChannel.serve(socket);
    open.push(second);
    await waitFor(() => atWorker.filter((m) => m.type === "resync").length === 2, 5000, "a second resync");
    second.publish({ type: "created", runId: "r2", environmentId: "e1" });
    await waitFor(() => atWorker.some((m) => m.type === "created" && m.runId === "r2"));
  });

  it("a second console on the same socket joins the live hub instead of taking its place", async () => {
    const hub = await SocketChannel.serve(socket);
    const worker = SocketChannel.join(socket);
    const atWorker = record(worker);
    const late = await SocketChannel.serve(socket);
    open.push(hub, worker, late);
    await waitFor(() => atWorker.some((m) => m.type === "resync"));
    late.publish({ type: "ended", runId: "r3", environmentId: "e1" });
    await waitFor(() => atWorker.some((m) => m.type === "ended"));
  });

  it("ignores lines that are not events", async () => {
    const hub = await SocketChannel.serve(socket);
    open.push(hub);
    const seen = record(hub);
    const net = await import("node:net");
    const raw = net.connect(socket);
    await new Promise((r) => raw.once("connect", r));
    raw.write('not json\n{"type":"output","runId":"r4"}\n{"type":"output","runId":"r4","seq":1}\n');
    await waitFor(() => seen.length > 0);
    expect(seen).toEqual([{ type: "output", runId: "r4", seq: 1 }]);
    raw.destroy();
    rmSync(dir, { recursive: true, force: true });
  });
});
