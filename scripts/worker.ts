/** `npm run worker` / `runops worker`: see lib/worker/main.ts. */
import { main } from "../lib/worker/main";

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
