/**
 * `COPY … FROM STDIN` through the `pg` driver, without pg-copy-streams (not a dependency): a
 * submittable query that answers the server's CopyInResponse with CopyData messages and waits for
 * CommandComplete and ReadyForQuery. Used as P2-pg's baseline: what one client can write into
 * PostgreSQL at best.
 */
import type { Duplex } from "node:stream";
import type pg from "pg";

/**
 * The parts of pg's Connection this uses. @types/pg 8 does not declare the copy methods, which
 * pg's lib/connection.js has had since 2013 (pg-copy-streams is built on them).
 */
interface CopyConnection {
  query(text: string): void;
  sendCopyFromChunk(chunk: Buffer): void;
  endCopyFrom(): void;
  sendCopyFail(message: string): void;
  stream: Duplex;
}

/** Writes CopyData; resolves when the socket has room again (back-pressure). */
export type CopyWrite = (data: Buffer) => Promise<void>;

/** The socket's own buffer may hold this much before `write` waits for it to drain. */
const HIGH_WATER = 4 * 1024 * 1024;

class CopyFrom implements pg.Submittable {
  error: Error | null = null;
  rows = 0;
  readonly done: Promise<number>;
  private settle!: { resolve: (rows: number) => void; reject: (e: Error) => void };

  constructor(
    private readonly text: string,
    private readonly feed: (write: CopyWrite) => Promise<void>,
  ) {
    this.done = new Promise((resolve, reject) => (this.settle = { resolve, reject }));
  }

  submit(connection: pg.Connection) {
    (connection as unknown as CopyConnection).query(this.text);
  }

  handleCopyInResponse(connection: pg.Connection) {
    const c = connection as unknown as CopyConnection;
    const write: CopyWrite = async (data) => {
      c.sendCopyFromChunk(data);
      if (c.stream.writableLength > HIGH_WATER) {
        await new Promise<void>((resolve) => c.stream.once("drain", () => resolve()));
      }
    };
    this.feed(write).then(
      () => c.endCopyFrom(),
      (error: unknown) => c.sendCopyFail(error instanceof Error ? error.message : String(error)),
    );
  }

  handleCommandComplete(message: { text?: string }) {
    this.rows = Number(/(\d+)$/.exec(message.text ?? "")?.[1] ?? 0);
  }

  handleError(error: Error) {
    this.error = error;
  }

  handleReadyForQuery() {
    if (this.error) this.settle.reject(this.error);
    else this.settle.resolve(this.rows);
  }

  // pg calls these for other statements' messages; COPY FROM sends none of them.
  handleRowDescription() {}
  handleDataRow() {}
  handleEmptyQuery() {}
  handlePortalSuspended() {}
  handleCopyData() {}
}

/** Runs `COPY … FROM STDIN` on `client`, fed by `feed`; resolves with the rows copied. */
export function copyFrom(
  client: pg.Client,
  text: string,
  feed: (write: CopyWrite) => Promise<void>,
): Promise<number> {
  const query = new CopyFrom(text, feed);
  void client.query(query);
  return query.done;
}

/** PostgreSQL's binary COPY header: signature, flags, header extension length. */
export const COPY_BINARY_HEADER = Buffer.concat([
  Buffer.from("PGCOPY\n\xff\r\n\0", "latin1"),
  Buffer.alloc(8), // flags 0, extension length 0
]);

/** The end of a binary COPY stream (a tuple with field count -1). */
export const COPY_BINARY_TRAILER = Buffer.from([0xff, 0xff]);

/**
 * The start of one binary tuple `(seq integer, data bytea)` whose bytea is `length` bytes; the bytes
 * themselves follow as they are (no concatenation).
 */
export function copyTupleHeader(seq: number, length: number): Buffer {
  const b = Buffer.alloc(2 + 4 + 4 + 4);
  b.writeInt16BE(2, 0); // fields
  b.writeInt32BE(4, 2);
  b.writeInt32BE(seq, 6);
  b.writeInt32BE(length, 10);
  return b;
}
