import { rmSync } from "node:fs";
import type { CommandDef } from "../command.ts";
import { writeConfig } from "../config.ts";
import { ExitCode } from "../errors.ts";

const command: CommandDef = {
  description: [
    "Removes the URL and API token from the user config file. The token itself",
    "stays valid until it expires: revoke it in the console (API tokens) when it",
    "should not be used again.",
  ].join("\n"),
  options: {},
  examples: [{ description: "Log out", command: "runops auth:logout" }],
  async run(ctx) {
    const stored = ctx.config();
    if (!stored.token && !stored.url) {
      ctx.stderr.write(`Not logged in: ${ctx.configFile} holds no token.\n`);
    } else {
      const { url: _url, token: _token, ...rest } = stored;
      if (Object.keys(rest).length > 0) writeConfig(ctx.configFile, rest);
      else rmSync(ctx.configFile, { force: true });
      ctx.stderr.write(
        `Logged out${stored.url ? ` of ${stored.url}` : ""}: removed the token from ${ctx.configFile}.\n`,
      );
      ctx.stderr.write("The token stays valid until it expires; revoke it in the console if it leaked.\n");
    }
    if (ctx.env.RUNOPS_TOKEN) {
      ctx.stderr.write(ctx.style.yellow("note: RUNOPS_TOKEN is still set in your environment.\n"));
    }
    return ExitCode.ok;
  },
};

export default command;
