/** Next.js calls this once when the server starts: the console joins the run event channel. */
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { startConsole } = await import("./lib/console/start-console");
  await startConsole();
}
