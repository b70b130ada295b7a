/**
 * Starts at most `perTurn` queued tasks per turn of the event loop. Node reads
 * every ready socket in one turn and accepts one new connection per turn
 * (libuv ≥ 1.45): with 200 clients listing runs, starting each request as it
 * was read made turns of a second or more, and a trigger on a new connection
 * waited for dozens of them. The console takes reads in a few at a time, so
 * turns stay short; writes do not queue here (lib/console/http-server.ts).
 */
export class TurnIntake {
  private queue: Array<() => void> = [];
  private scheduled = false;

  constructor(private readonly perTurn: number) {}

  add(task: () => void) {
    this.queue.push(task);
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.drain());
    }
  }

  private drain() {
    for (const task of this.queue.splice(0, this.perTurn)) task();
    if (this.queue.length > 0) setImmediate(() => this.drain());
    else this.scheduled = false;
  }
}
