/** Next.js calls this once when the server starts: the embedded worker lives here. */
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  if (process.env.RUNOPS_EMBEDDED_WORKER === "0") return;
  const { startEmbeddedWorker } = await import("./lib/worker/embedded-worker");
  await startEmbeddedWorker();
}
