import { describe, expect, it } from "vitest";
import { type Choice, chooserKey, firstEnabled, renderChoices } from "../../../cli/chooser";
import { plainStyle } from "./helpers";

const choices: Choice[] = [
  { label: "broken-migration (on storefront)" },
  { label: "clear-cache (on storefront)", disabledReason: "requires admin" },
  { label: "clear-rebuild (on storefront)" },
  { label: "ping (on api)" },
];

describe("chooser keys", () => {
  it("moves with arrows and j/k, skipping disabled items and wrapping", () => {
    expect(firstEnabled(choices)).toBe(0);
    expect(chooserKey(choices, 0, { name: "down" })).toEqual({ type: "move", index: 2 });
    expect(chooserKey(choices, 2, { name: "up" })).toEqual({ type: "move", index: 0 });
    expect(chooserKey(choices, 0, { name: "k" })).toEqual({ type: "move", index: 3 });
    expect(chooserKey(choices, 3, { name: "j" })).toEqual({ type: "move", index: 0 });
    expect(chooserKey(choices, 2, { name: "end" })).toEqual({ type: "move", index: 3 });
    expect(chooserKey(choices, 3, { name: "home" })).toEqual({ type: "move", index: 0 });
  });

  it("jumps with a digit to an enabled item only", () => {
    expect(chooserKey(choices, 0, { sequence: "3" })).toEqual({ type: "move", index: 2 });
    expect(chooserKey(choices, 0, { sequence: "2" })).toBeNull();
    expect(chooserKey(choices, 0, { sequence: "9" })).toBeNull();
  });

  it("chooses with Enter and cancels with Esc, q or Ctrl-C", () => {
    expect(chooserKey(choices, 2, { name: "return" })).toEqual({ type: "choose", index: 2 });
    expect(chooserKey(choices, 0, { name: "escape" })).toEqual({ type: "cancel" });
    expect(chooserKey(choices, 0, { name: "q" })).toEqual({ type: "cancel" });
    expect(chooserKey(choices, 0, { name: "c", ctrl: true })).toEqual({ type: "cancel" });
    expect(chooserKey(choices, 0, { name: "x" })).toBeNull();
  });

  it("finds nothing to choose when all are disabled", () => {
    expect(firstEnabled([{ label: "a", disabledReason: "no" }])).toBe(-1);
  });
});

describe("chooser rendering", () => {
  it("marks the current item and shows why others are disabled", () => {
    expect(renderChoices(choices, 2, plainStyle, 10)).toEqual([
      "  1. broken-migration (on storefront)",
      "  2. clear-cache (on storefront) — requires admin",
      "› 3. clear-rebuild (on storefront)",
      "  4. ping (on api)",
    ]);
  });

  it("scrolls a long list to keep the current item visible", () => {
    const many = Array.from({ length: 20 }, (_, i) => ({ label: `op-${i + 1}` }));
    const lines = renderChoices(many, 15, plainStyle, 5);
    expect(lines).toContain("›  16. op-16".replace("›  ", "› "));
    expect(lines).toHaveLength(6);
    expect(lines[5]).toContain("20 in all");
  });
});
