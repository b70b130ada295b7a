import type { CommandDef, Context } from "../command.ts";
import { normalizeUrl, writeConfig } from "../config.ts";
import { ApiError, CliError, ExitCode, UsageError } from "../errors.ts";
import { ask, askSecret, whyNotAsked } from "../prompt.ts";

const TOKEN_PATTERN = /^rop_[A-Za-z0-9_-]{43}$/;

const command: CommandDef = {
  description: [
    "Checks a server URL and API token against the server (GET /api/v1/me), then",
    "stores both in the user config file, readable only by you (mode 0600):",
    "$XDG_CONFIG_HOME/runops/config.json, or ~/.config/runops/config.json.",
    "",
    "Create a token in the console: your account menu → API tokens.",
    "Without --token it asks for one on a terminal (without echoing it), or reads",
    "it from stdin when stdin is not a terminal, which keeps it out of `ps`.",
  ].join("\n"),
  options: {
    url: { type: "string", valueName: "URL", description: "The console's URL, e.g. http://localhost:3000" },
    token: { type: "string", valueName: "TOKEN", description: "An API token (rop_…)" },
  },
  examples: [
    { description: "Asked for URL and token", command: "runops auth:login" },
    {
      description: "Token from a secret store, via stdin",
      command: "pass show runops | runops auth:login --url https://runops.example.com",
    },
  ],
  async run(ctx, { options }) {
    const stored = ctx.config();
    const url = normalizeUrl(await getUrl(ctx, options.string("url"), ctx.env.RUNOPS_URL ?? stored.url));
    const token = await getToken(ctx, options.string("token"), url);
    if (!TOKEN_PATTERN.test(token)) {
      throw new UsageError(
        "that is not a runops API token",
        "tokens look like rop_ followed by 43 letters, digits, - and _; create one in the console under API tokens",
      );
    }
    const client = await ctx.client({ url, token });
    let user;
    try {
      user = await client.me();
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) {
        throw new CliError(`the API token was refused by ${url}`, ExitCode.auth, error.hint);
      }
      throw error;
    }
    writeConfig(ctx.configFile, { ...stored, url, token });
    ctx.stderr.write(`Logged in to ${url} as ${ctx.style.bold(user.name)} <${user.email}>.\n`);
    ctx.stderr.write(`Saved to ${ctx.configFile} (readable only by you).\n`);
    for (const name of ["RUNOPS_URL", "RUNOPS_TOKEN"] as const) {
      if (ctx.env[name])
        ctx.stderr.write(
          ctx.style.yellow(`note: ${name} is set in your environment and takes precedence.\n`),
        );
    }
    return ExitCode.ok;
  },
};

export default command;

async function getUrl(ctx: Context, flag: string | undefined, fallback: string | undefined): Promise<string> {
  if (flag) return flag;
  if (!ctx.interactive) {
    if (fallback) return fallback;
    throw new UsageError(`missing --url (${whyNotAsked(ctx, "ask for it")})`);
  }
  const suggestion = fallback ?? "http://localhost:3000";
  const answer = await ask(ctx, `URL of the runops console [${suggestion}]: `);
  return answer || suggestion;
}

async function getToken(ctx: Context, flag: string | undefined, url: string): Promise<string> {
  if (flag) return flag.trim();
  if (!ctx.stdin.isTTY) {
    const token = (await readAll(ctx.stdin)).trim();
    if (!token) throw new UsageError("missing --token (or a token on stdin)");
    return token;
  }
  if (!ctx.interactive) throw new UsageError(`missing --token (${whyNotAsked(ctx, "ask for it")})`);
  ctx.stderr.write(`Create a token at ${url}/account/tokens, then paste it here.\n`);
  const token = await askSecret(ctx, "API token: ");
  if (!token) throw new UsageError("no token given");
  return token;
}

async function readAll(stream: NodeJS.ReadStream): Promise<string> {
  const parts: Buffer[] = [];
  for await (const part of stream) parts.push(Buffer.isBuffer(part) ? part : Buffer.from(String(part)));
  return Buffer.concat(parts).toString("utf8");
}
