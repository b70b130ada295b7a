import type { Style } from "../../../cli/format/style";

const same = (s: string) => s;
export const plainStyle: Style = { bold: same, dim: same, red: same, green: same, yellow: same, cyan: same };
