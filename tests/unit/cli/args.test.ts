import { describe, expect, it } from "vitest";
import { globalFlags, parseInput } from "../../../cli/args";
import type { CommandDef, CommandEntry } from "../../../cli/command";
import { COMMANDS, findCommand } from "../../../cli/commands/index";
import { ExitCode } from "../../../cli/errors";
import { plainStyle } from "./helpers";
import { commandHelp } from "../../../cli/help";

const entry: CommandEntry = {
  name: "operation:run",
  aliases: [],
  summary: "Run",
  load: async () => ({ default: def }),
};
const def: CommandDef = {
  description: "d",
  args: [{ name: "NAME", description: "n" }],
  options: {
    project: { type: "string", short: "p", description: "p" },
    app: { type: "string", short: "A", description: "a" },
    "no-wait": { type: "boolean", short: "W", description: "w" },
    yes: { type: "boolean", short: "y", description: "y" },
    columns: { type: "string", short: "c", multiple: true, description: "c" },
  },
  run: async () => 0,
};

describe("parseInput", () => {
  it("reads short and long options, = values, bundled flags, and the argument", () => {
    const input = parseInput(entry, def, ["ping", "-pshop", "--app=api", "-Wy", "-c", "a,b", "-c", "c"]);
    expect(input.args).toEqual(["ping"]);
    expect(input.options.string("project")).toBe("shop");
    expect(input.options.string("app")).toBe("api");
    expect(input.options.boolean("no-wait")).toBe(true);
    expect(input.options.boolean("yes")).toBe(true);
    expect(input.options.list("columns")).toEqual(["a,b", "c"]);
    expect(input.options.string("missing")).toBeUndefined();
    expect(input.help).toBe(false);
  });

  it("turns mistakes into usage errors that point at the command's help", () => {
    const usage = (argv: string[]) => {
      try {
        parseInput(entry, def, argv);
      } catch (error) {
        return error as { exitCode: number; message: string; hint?: string };
      }
      throw new Error("expected a usage error");
    };
    expect(usage(["--nope"])).toMatchObject({
      exitCode: ExitCode.usage,
      message: "unknown option --nope",
      hint: "see `runops operation:run --help`",
    });
    expect(usage(["-p"]).message).toBe("option --project needs a value");
    expect(usage(["--yes=1"]).message).toBe("option --yes takes no value");
    expect(usage(["a", "b"]).message).toBe("unexpected argument: b");
  });

  it("requires required arguments, except with --help", () => {
    const withId: CommandDef = { ...def, args: [{ name: "ID", description: "i", required: true }] };
    expect(() => parseInput(entry, withId, [])).toThrow("missing argument ID");
    expect(parseInput(entry, withId, ["--help"]).help).toBe(true);
  });
});

describe("global options", () => {
  it("are accepted by every command, anywhere, bundled with its own flags", () => {
    const flags = (argv: string[]) => globalFlags(parseInput(entry, def, argv).options);
    expect(flags([])).toEqual({ interaction: true, quiet: false, verbosity: 0, ansi: undefined });
    expect(flags(["ping", "-nyW"])).toMatchObject({ interaction: false, quiet: false });
    expect(flags(["--no-interaction", "ping"]).interaction).toBe(false);
    // Symfony Console's rule: quiet asks nothing either.
    expect(flags(["-q"])).toMatchObject({ interaction: false, quiet: true });
    expect(flags(["-vvv"]).verbosity).toBe(3);
    expect(flags(["-v", "--verbose"]).verbosity).toBe(2);
    expect(flags(["--no-ansi"]).ansi).toBe(false);
    expect(flags(["--ansi"]).ansi).toBe(true);
  });
});

describe("commands", () => {
  it("are found by name and alias", () => {
    expect(findCommand("ops")?.name).toBe("operation:list");
    expect(findCommand("operation:list")?.name).toBe("operation:list");
    expect(findCommand("nope")).toBeUndefined();
  });

  it("answer to Upsun's activity:* names too", () => {
    expect(findCommand("activity:list")?.name).toBe("run:list");
    expect(findCommand("act")?.name).toBe("run:list");
    expect(findCommand("activities")?.name).toBe("run:list");
    expect(findCommand("activity:log")?.name).toBe("run:log");
    expect(findCommand("activity:get")?.name).toBe("run:get");
    expect(findCommand("activity:cancel")?.name).toBe("run:cancel");
  });

  it("each load and have help naming every option", async () => {
    for (const command of COMMANDS) {
      const loaded = (await command.load()).default;
      const help = commandHelp(command, loaded, plainStyle);
      expect(help).toContain(`runops ${command.name}`);
      for (const name of Object.keys(loaded.options)) expect(help).toContain(`--${name}`);
      expect(help).toContain("--help");
    }
  });

  it("operation:list and operation:run take Upsun's options", async () => {
    const list = (await findCommand("ops")!.load()).default;
    expect(Object.keys(list.options)).toEqual(
      expect.arrayContaining([
        "project",
        "environment",
        "app",
        "worker",
        "full",
        "format",
        "columns",
        "no-header",
      ]),
    );
    expect(list.options.project?.short).toBe("p");
    expect(list.options.environment?.short).toBe("e");
    expect(list.options.app?.short).toBe("A");
    expect(list.options.columns?.short).toBe("c");
    const run = (await findCommand("operation:run")!.load()).default;
    expect(run.options["no-wait"]?.short).toBe("W");
    expect(run.options.yes?.short).toBe("y");
  });
});
