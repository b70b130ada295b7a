import type { CommandDef } from "../command.ts";
import { type Source, resolveConnection } from "../config.ts";
import { ExitCode } from "../errors.ts";

const command: CommandDef = {
  description: "Shows which server and token the CLI uses, where each comes from, and whose token it is.",
  options: {},
  examples: [{ description: "Who am I", command: "runops auth:info" }],
  async run(ctx) {
    const connection = resolveConnection({}, ctx.env, ctx.config());
    const from = (source: Source, variable: string) =>
      source === "env" ? variable : source === "config" ? ctx.configFile : "option";
    const user = await (await ctx.client()).me();
    ctx.stdout.write(
      [
        `url: ${connection.url} (from ${from(connection.urlSource, "RUNOPS_URL")})`,
        `token: ${connection.token.slice(0, 8)}… (from ${from(connection.tokenSource, "RUNOPS_TOKEN")})`,
        `user: ${user.name} <${user.email}>`,
        "",
      ].join("\n"),
    );
    return ExitCode.ok;
  },
};

export default command;
