import type { OptionDef } from "../command.ts";
import { FORMATS } from "./list.ts";

/** --format, --columns and --no-header, as every list command of Upsun's CLI has them. */
export function listOptions(
  available: readonly string[],
  defaults: readonly string[],
): Record<string, OptionDef> {
  const marked = available.map((c) => (defaults.includes(c) ? `${c}*` : c)).join(", ");
  return {
    format: {
      type: "string",
      valueName: "FORMAT",
      description: `The output format: ${FORMATS.join(", ")} (default: table)`,
    },
    columns: {
      type: "string",
      short: "c",
      multiple: true,
      valueName: "COLUMNS",
      description: `Columns to show, comma-separated (\`+\` = the defaults)\nAvailable: ${marked} (* = default)`,
    },
    "no-header": { type: "boolean", description: "Do not print the header row" },
  };
}
