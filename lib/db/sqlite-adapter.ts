import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import {
  DriverAdapterError,
  type IsolationLevel,
  type SqlDriverAdapter,
  type SqlDriverAdapterFactory,
  type SqlQuery,
  type Transaction,
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
      if (isolationLevel && isolationLevel !== "SERIALIZABLE") {
        // What SQLite gives (and what the stock adapter refuses the same way).
        throw new DriverAdapterError({ kind: "InvalidIsolationLevel", level: isolationLevel });
      }
      const release = await lock.acquire();
      try {
        // IMMEDIATE takes the write lock at the start, waiting for it under busy_timeout. The stock
        // adapter's deferred BEGIN upgrades at the first write instead, and when another process
        // (the worker) wrote since the transaction's first read, SQLite answers SQLITE_BUSY at
        // once, without waiting: a first start failed that way about once in eight e2e runs.
        await writer.executeRaw(statement("BEGIN IMMEDIATE"));
      } catch (error) {
        release();
        throw error;
      }
      return transactionOn(writer, release);
    },
    ...(writer.getConnectionInfo ? { getConnectionInfo: writer.getConnectionInfo.bind(writer) } : {}),
    async dispose() {
      await reader.dispose();
      await writer.dispose();
    },
  };
}

const statement = (sql: string): SqlQuery => ({ sql, args: [], argTypes: [] });

/**
 * A transaction on the writer connection, which the caller holds alone until it ends. Prisma
 * sends COMMIT and ROLLBACK itself (`usePhantomQuery: false`); `commit` and `rollback` then
 * release the connection.
 */
function transactionOn(writer: SqlDriverAdapter, release: () => void): Transaction {
  let released = false;
  const end = () => {
    if (!released) {
      released = true;
      release();
    }
    return Promise.resolve();
  };
  const run = (sql: string) => writer.executeRaw(statement(sql)).then(() => undefined);
  return {
    provider: writer.provider,
    adapterName: writer.adapterName,
    options: { usePhantomQuery: false },
    queryRaw: (query) => writer.queryRaw(query),
    executeRaw: (query) => writer.executeRaw(query),
    commit: end,
    rollback: end,
    createSavepoint: (name: string) => run(`SAVEPOINT ${name}`),
    rollbackToSavepoint: (name: string) => run(`ROLLBACK TO ${name}`),
    releaseSavepoint: (name: string) => run(`RELEASE SAVEPOINT ${name}`),
  };
}
