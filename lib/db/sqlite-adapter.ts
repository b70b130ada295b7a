import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import type {
  IsolationLevel,
  SqlDriverAdapter,
  SqlDriverAdapterFactory,
  SqlQuery,
  Transaction,
} from "@prisma/driver-adapter-utils";

/** Applied to every SQLite connection the client opens. */
const SQLITE_PRAGMAS = "PRAGMA busy_timeout = 5000; PRAGMA foreign_keys = ON; PRAGMA journal_mode = WAL;";

/** What a reader connection may run: SQLite's SELECT never writes. */
const READ = /^\s*SELECT\b/i;

/**
 * Prisma's SQLite adapter for runops: two connections to the same file.
 *
 * @prisma/adapter-better-sqlite3 7.10 has one connection, and its lock
 * covers transactions only: a query of another request issued while an
 * interactive transaction is open ran *inside* it (saw its uncommitted rows,
 * and a write was rolled back with it). Here every write, and every
 * transaction, takes one lock in turn on the writer connection; plain reads
 * go to a reader connection, which in WAL mode sees what is committed and
 * neither waits for nor delays a writer.
 *
 * The adapter also has no hook for pragmas (only better-sqlite3's
 * constructor options), so they are run on each connection it opens.
 */
export class SqliteAdapterFactory implements SqlDriverAdapterFactory {
  readonly provider = "sqlite" as const;
  readonly adapterName: string;
  private readonly inner: PrismaBetterSqlite3;

  constructor(config: { url: string; timeout: number }) {
    this.inner = new PrismaBetterSqlite3(config);
    this.adapterName = this.inner.adapterName;
  }

  async connect(): Promise<SqlDriverAdapter> {
    const writer = await this.inner.connect();
    const reader = await this.inner.connect();
    await writer.executeScript(SQLITE_PRAGMAS);
    await reader.executeScript(SQLITE_PRAGMAS);
    return splitAdapter(writer, reader);
  }
}

/** A first-come, first-served lock. */
class Lock {
  private tail: Promise<void> = Promise.resolve();

  acquire(): Promise<() => void> {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const turn = this.tail.then(() => release);
    this.tail = this.tail.then(() => held);
    return turn;
  }
}

function splitAdapter(writer: SqlDriverAdapter, reader: SqlDriverAdapter): SqlDriverAdapter {
  const lock = new Lock();
  const exclusive = async <T>(work: () => Promise<T>): Promise<T> => {
    const release = await lock.acquire();
    try {
      return await work();
    } finally {
      release();
    }
  };
  const isRead = (query: SqlQuery) => READ.test(query.sql);
  return {
    provider: writer.provider,
    adapterName: writer.adapterName,
    queryRaw: (query) => (isRead(query) ? reader.queryRaw(query) : exclusive(() => writer.queryRaw(query))),
    executeRaw: (query) =>
      isRead(query) ? reader.executeRaw(query) : exclusive(() => writer.executeRaw(query)),
    executeScript: (script) => exclusive(() => writer.executeScript(script)),
    async startTransaction(isolationLevel?: IsolationLevel): Promise<Transaction> {
      const release = await lock.acquire();
      let tx: Transaction;
      try {
        tx = await writer.startTransaction(isolationLevel);
      } catch (error) {
        release();
        throw error;
      }
      return heldUntilEnd(tx, release);
    },
    ...(writer.getConnectionInfo ? { getConnectionInfo: writer.getConnectionInfo.bind(writer) } : {}),
    async dispose() {
      await reader.dispose();
      await writer.dispose();
    },
  };
}

/** The transaction, releasing the writer's lock when it commits or rolls back. */
function heldUntilEnd(tx: Transaction, release: () => void): Transaction {
  let released = false;
  const end = async (finish: () => Promise<void>) => {
    try {
      await finish();
    } finally {
      if (!released) {
        released = true;
        release();
      }
    }
  };
  return {
    provider: tx.provider,
    adapterName: tx.adapterName,
    options: tx.options,
    queryRaw: (query) => tx.queryRaw(query),
    executeRaw: (query) => tx.executeRaw(query),
    commit: () => end(() => tx.commit()),
    rollback: () => end(() => tx.rollback()),
    ...(tx.createSavepoint
      ? { createSavepoint: (name: string) => tx.createSavepoint?.(name) ?? Promise.resolve() }
      : {}),
    ...(tx.rollbackToSavepoint
      ? { rollbackToSavepoint: (name: string) => tx.rollbackToSavepoint?.(name) ?? Promise.resolve() }
      : {}),
    ...(tx.releaseSavepoint
      ? { releaseSavepoint: (name: string) => tx.releaseSavepoint?.(name) ?? Promise.resolve() }
      : {}),
  };
}
