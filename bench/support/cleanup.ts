/**
 * Everything a benchmark starts (servers, PostgreSQL, browsers, temp dirs) registers how to undo it
 * here, so that a failure, Ctrl-C or SIGTERM still leaves nothing running behind.
 */
type Undo = { what: string; fn: () => Promise<void> | void };

const stack: Undo[] = [];
let installed = false;
let exiting = false;

/** Registers `fn` to run at cleanup (last registered runs first). Returns a function that runs it now. */
export function onCleanup(what: string, fn: () => Promise<void> | void): () => Promise<void> {
  installHandlers();
  const entry: Undo = { what, fn };
  stack.push(entry);
  return async () => {
    const i = stack.indexOf(entry);
    if (i < 0) return;
    stack.splice(i, 1);
    await fn();
  };
}

/** How many cleanups are registered now: `cleanupTo(mark)` undoes only what came after. */
export function cleanupMark(): number {
  return stack.length;
}

/** Runs every registered cleanup, newest first; errors are reported, not thrown. */
export async function cleanupAll(): Promise<void> {
  await cleanupTo(0);
}

/** Runs the cleanups registered after `mark`, newest first (what one benchmark left behind). */
export async function cleanupTo(mark: number): Promise<void> {
  while (stack.length > mark) {
    const entry = stack.pop();
    if (!entry) break;
    try {
      await entry.fn();
    } catch (error) {
      console.error(
        `bench: cleanup of ${entry.what} failed:`,
        error instanceof Error ? error.message : error,
      );
    }
  }
}

function installHandlers() {
  if (installed) return;
  installed = true;
  const bail = (code: number, why: string) => {
    if (exiting) return;
    exiting = true;
    console.error(`\nbench: ${why}, cleaning up…`);
    void cleanupAll().finally(() => process.exit(code));
  };
  process.once("SIGINT", () => bail(130, "interrupted"));
  process.once("SIGTERM", () => bail(143, "terminated"));
  process.once("SIGHUP", () => bail(129, "hung up"));
  process.on("uncaughtException", (error) => {
    console.error(error);
    bail(1, "uncaught exception");
  });
  process.on("unhandledRejection", (error) => {
    console.error(error);
    bail(1, "unhandled rejection");
  });
}
