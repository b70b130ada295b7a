import { expect, test } from "../fixtures";
import { EXIT, KEY, PtyProcess, cliEnv, runops } from "./cli";
import { tokenFor } from "./tokens";

/** operation:run on a terminal: the chooser and the confirmation, driven through a pseudo-terminal. */

const env = ["-p", "shop", "-e", "feature-search"];

test("without NAME on a terminal: choose with the arrow keys, confirm, watch it run", async () => {
  const pty = new PtyProcess(
    ["operation:run", ...env],
    cliEnv({ token: await tokenFor("admin@example.com") }),
  );
  await pty.waitFor(/Choose an operation to run on the environment feature-search of shop:/);
  await pty.waitFor(/› 1\. broken-migration \(on storefront\)/);
  expect(pty.text).toContain("4. drain-queue (on api--queue)");
  expect(pty.text).toContain("7. ping (on storefront)");
  pty.write(KEY.down.repeat(5));
  await pty.waitFor(/› 6\. ping \(on api\)/);
  pty.write(KEY.enter);
  const asked = await pty.waitFor(
    /Running operation ping on app api \(shop\/feature-search\)\nAre you sure you want to continue\? \[Y\/n\]/,
  );
  pty.write("y\r");
  await pty.waitFor(/pong from api\n/, asked);
  expect(await pty.exited).toBe(EXIT.ok);
  expect(pty.text).toMatch(/Run \S+ complete: success, exit code 0/);
});

test("a viewer's chooser shows what they may not run, disabled, and starts on the first they may", async () => {
  const pty = new PtyProcess(
    ["operation:run", ...env],
    cliEnv({ token: await tokenFor("viewer@example.com") }),
  );
  await pty.waitFor(/› 3\. clear-rebuild \(on storefront\)/);
  expect(pty.text).toContain("2. clear-cache (on storefront) — requires admin");
  expect(pty.text).toContain("1. broken-migration (on storefront) — requires contributor");
  pty.write(KEY.escape);
  expect(await pty.exited).toBe(EXIT.interrupted);
});

test("a terminal without cursor control gets a numbered prompt; answering no runs nothing", async () => {
  const pty = new PtyProcess(
    ["operation:run", ...env],
    cliEnv({ token: await tokenFor("admin@example.com"), extra: { TERM: "dumb" } }),
  );
  await pty.waitFor(/\[3\] clear-rebuild \(on storefront\)\n[\s\S]*Enter a number to choose: /);
  pty.write("9\r");
  await pty.waitFor(/Enter a number from 1 to 7\./);
  pty.write("3\r");
  await pty.waitFor(/Are you sure you want to continue\? \[Y\/n\]/);
  pty.write("n\r");
  await pty.waitFor(/Nothing was run\./);
  expect(await pty.exited).toBe(EXIT.interrupted);
});

test("run:cancel without ID on a terminal: choose among the active runs, newest first", async () => {
  const dev = cliEnv({ token: await tokenFor("dev@example.com") });
  const started = await runops(["operation:run", "long-import", ...env, "-W"], dev);
  const id = started.stdout.split("\n")[0] ?? "";
  const pty = new PtyProcess(["run:cancel", ...env], dev);
  await pty.waitFor(/Choose a run to cancel on the environment feature-search of shop:/);
  await pty.waitFor(
    new RegExp(`› 1\\. ${id}  long-import on storefront, (pending|in progress), by Dev Contributor at `),
  );
  pty.write(KEY.enter);
  await pty.waitFor(
    new RegExp(
      `Cancelling run ${id} \\(long-import on storefront\\)|Run ${id} \\(long-import on storefront\\) is cancelled`,
    ),
  );
  expect(await pty.exited).toBe(EXIT.ok);
  // It ends cancelled; nothing is left running for the next tests.
  expect((await runops(["run:log", id, "--follow"], dev)).code).toBe(EXIT.runFailed);
  expect((await runops(["run:get", id, "-P", "state"], dev)).stdout).toBe("cancelled\n");
});

test("-n on a terminal asks nothing: without NAME, operation:run is a usage error as in a script", async () => {
  const pty = new PtyProcess(
    ["operation:run", ...env, "-n"],
    cliEnv({ token: await tokenFor("admin@example.com") }),
  );
  await pty.waitFor(/error: missing the operation NAME \(-n and -q ask nothing\)/);
  expect(await pty.exited).toBe(EXIT.usage);
  expect(pty.text).not.toContain("Choose an operation");
});
