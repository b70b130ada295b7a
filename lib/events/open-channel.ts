import { databaseProvider } from "../db/url";
import { PostgresChannel } from "./postgres-channel";
import type { RunEventChannel } from "./run-events";
import { SocketChannel } from "./socket-channel";

/**
 * The channel between processes for this installation: LISTEN/NOTIFY on
 * PostgreSQL, the data directory's socket on SQLite (where the console serves
 * the hub and workers join it).
 */
export async function openChannel(
  role: "console" | "worker",
  opts: { databaseUrl: string; socketPath: string },
): Promise<RunEventChannel> {
  if (databaseProvider(opts.databaseUrl) === "postgresql") return new PostgresChannel(opts.databaseUrl);
  return role === "console" ? SocketChannel.serve(opts.socketPath) : SocketChannel.join(opts.socketPath);
}
