import { mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { configPath, normalizeUrl, readConfig, resolveConnection, writeConfig } from "../../../cli/config";
import { ExitCode } from "../../../cli/errors";

const TOKEN_A = `rop_${"a".repeat(43)}`;
const TOKEN_B = `rop_${"b".repeat(43)}`;

describe("config file", () => {
  it("lives under XDG_CONFIG_HOME, else ~/.config", () => {
    expect(configPath({ XDG_CONFIG_HOME: "/x", HOME: "/home/u" })).toBe("/x/runops/config.json");
    expect(configPath({ HOME: "/home/u" })).toBe("/home/u/.config/runops/config.json");
    // A relative XDG_CONFIG_HOME is invalid per the spec and ignored.
    expect(configPath({ XDG_CONFIG_HOME: "rel", HOME: "/home/u" })).toBe(
      "/home/u/.config/runops/config.json",
    );
  });

  it("is written readable by its owner only, in a directory only they can enter", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "runops-cli-"));
    const file = path.join(dir, "conf", "runops", "config.json");
    const umask = process.umask(0o000);
    try {
      writeConfig(file, { url: "http://x", token: TOKEN_A });
    } finally {
      process.umask(umask);
    }
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(path.dirname(file)).mode & 0o777).toBe(0o700);
    expect(readConfig(file)).toEqual({ url: "http://x", token: TOKEN_A });
    expect(JSON.parse(readFileSync(file, "utf8"))).toEqual({ url: "http://x", token: TOKEN_A });
  });

  it("reads a missing file as empty, and names a broken one", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "runops-cli-"));
    expect(readConfig(path.join(dir, "none.json"))).toEqual({});
    const broken = path.join(dir, "broken.json");
    writeFileSync(broken, "{nope");
    expect(() => readConfig(broken)).toThrow(`${broken} is not valid JSON`);
  });
});

describe("normalizeUrl", () => {
  it("keeps http(s) base URLs without trailing slash, query or hash", () => {
    expect(normalizeUrl("http://localhost:3000/")).toBe("http://localhost:3000");
    expect(normalizeUrl(" https://x.example/runops/?a=1#b ")).toBe("https://x.example/runops");
    expect(() => normalizeUrl("localhost:3000")).toThrow(/only http/);
    expect(() => normalizeUrl("not a url")).toThrow(/invalid URL/);
  });
});

describe("resolveConnection", () => {
  const stored = { url: "http://stored:3000", token: TOKEN_A };

  it("takes flags over environment over the config file", () => {
    expect(resolveConnection({}, {}, stored)).toMatchObject({
      url: "http://stored:3000",
      token: TOKEN_A,
      urlSource: "config",
      tokenSource: "config",
    });
    expect(resolveConnection({}, { RUNOPS_TOKEN: TOKEN_B }, stored)).toMatchObject({
      token: TOKEN_B,
      tokenSource: "env",
    });
    expect(
      resolveConnection(
        { url: "http://flag", token: "t" },
        { RUNOPS_URL: "http://env", RUNOPS_TOKEN: TOKEN_B },
        stored,
      ),
    ).toMatchObject({ url: "http://flag", token: "t", urlSource: "flag", tokenSource: "flag" });
  });

  it("never sends the stored token to another server than the stored one", () => {
    expect(() => resolveConnection({}, { RUNOPS_URL: "http://elsewhere" }, stored)).toThrow(
      "no API token for http://elsewhere",
    );
    expect(resolveConnection({}, { RUNOPS_URL: "http://stored:3000/" }, stored).token).toBe(TOKEN_A);
  });

  it("says how to configure when nothing is", () => {
    try {
      resolveConnection({}, {}, {});
      expect.unreachable();
    } catch (error) {
      expect(error).toMatchObject({ exitCode: ExitCode.auth, message: "no runops server configured" });
    }
  });
});
