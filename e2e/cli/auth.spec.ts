import { readFileSync, statSync } from "node:fs";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect, test } from "../fixtures";
import { BASE_URL, EXIT, cliEnv, runops } from "./cli";
import { tokenFor } from "./tokens";

/** auth:login / auth:logout and where the CLI takes its configuration from. */

test("auth:login checks the token, stores URL and token readable only by the user; flags > env > file; auth:logout removes them", async () => {
  const token = await tokenFor("dev@example.com");
  const home = mkdtempSync(path.join(tmpdir(), "runops-cli-home-"));
  const bare = cliEnv({ home, extra: { RUNOPS_URL: undefined } });
  const file = path.join(home, ".config", "runops", "config.json");

  const login = await runops(["auth:login", "--url", `${BASE_URL}/`, "--token", token], bare);
  expect(login.code, login.stderr).toBe(EXIT.ok);
  expect(login.stderr).toContain(`Logged in to ${BASE_URL} as Dev Contributor <dev@example.com>.`);
  expect(statSync(file).mode & 0o777).toBe(0o600);
  expect(statSync(path.dirname(file)).mode & 0o777).toBe(0o700);
  expect(JSON.parse(readFileSync(file, "utf8"))).toEqual({ url: BASE_URL, token });

  // From the file alone.
  const listed = await runops(
    ["ops", "-p", "shop", "-e", "staging", "--format", "plain", "-c", "name", "--no-header"],
    bare,
  );
  expect(listed.code).toBe(EXIT.ok);
  expect(listed.stdout).toContain("clear-rebuild\n");
  const info = await runops(["auth:info"], bare);
  expect(info.stdout).toContain(`url: ${BASE_URL} (from ${file})`);
  expect(info.stdout).toContain("user: Dev Contributor <dev@example.com>");

  // The environment wins over the file...
  const overridden = await runops(["ops", "-p", "shop", "-e", "staging"], {
    ...bare,
    RUNOPS_TOKEN: `rop_${"y".repeat(43)}`,
  });
  expect(overridden.code).toBe(EXIT.auth);
  // ...and the stored token is never sent to another server than the one it was stored for.
  const elsewhere = await runops(["ops", "-p", "shop", "-e", "staging"], {
    ...bare,
    RUNOPS_URL: "http://127.0.0.1:9",
  });
  expect(elsewhere.code).toBe(EXIT.auth);
  expect(elsewhere.stderr).toContain("error: no API token for http://127.0.0.1:9");
  // RUNOPS_PROJECT and RUNOPS_ENVIRONMENT stand in for -p and -e; flags win over them.
  const fromEnv = await runops(["ops", "--format", "plain", "-c", "name", "--no-header", "-A", "api"], {
    ...bare,
    RUNOPS_PROJECT: "shop",
    RUNOPS_ENVIRONMENT: "staging",
  });
  expect(fromEnv.stdout).toBe("ping\n");
  const flagWins = await runops(["ops", "-e", "no-such-env"], {
    ...bare,
    RUNOPS_PROJECT: "shop",
    RUNOPS_ENVIRONMENT: "staging",
  });
  expect(flagWins.code).toBe(EXIT.notFound);

  const logout = await runops(["auth:logout"], bare);
  expect(logout.code).toBe(EXIT.ok);
  expect(() => statSync(file)).toThrow();
  const after = await runops(["ops", "-p", "shop", "-e", "staging"], bare);
  expect(after.code).toBe(EXIT.auth);
  expect(after.stderr).toContain("error: no runops server configured");
});

test("auth:login reads the token from stdin, honours XDG_CONFIG_HOME, and refuses bad tokens", async () => {
  const token = await tokenFor("viewer@example.com");
  const home = mkdtempSync(path.join(tmpdir(), "runops-cli-home-"));
  const xdg = path.join(home, "xdg");
  const env = cliEnv({ home, extra: { RUNOPS_URL: undefined, XDG_CONFIG_HOME: xdg } });

  const piped = await runops(["auth:login", "--url", BASE_URL], env, `${token}\n`);
  expect(piped.code, piped.stderr).toBe(EXIT.ok);
  expect(JSON.parse(readFileSync(path.join(xdg, "runops", "config.json"), "utf8")).token).toBe(token);

  const refused = await runops(["auth:login", "--url", BASE_URL, "--token", `rop_${"z".repeat(43)}`], env);
  expect(refused.code).toBe(EXIT.auth);
  expect(refused.stderr).toContain(`error: the API token was refused by ${BASE_URL}`);
  const malformed = await runops(["auth:login", "--url", BASE_URL, "--token", "hunter2"], env);
  expect(malformed.code).toBe(EXIT.usage);
  expect(malformed.stderr).toContain("error: that is not a runops API token");
  // The refused logins left the stored one alone.
  expect(JSON.parse(readFileSync(path.join(xdg, "runops", "config.json"), "utf8")).token).toBe(token);
});
