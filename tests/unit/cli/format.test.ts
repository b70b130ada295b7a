import { describe, expect, it } from "vitest";
import { renderDelimited, renderPlain } from "../../../cli/format/delimited";
import { type ListSpec, parseFormat, renderList, selectColumns } from "../../../cli/format/list";
import { displayWidth, stripAnsi } from "../../../cli/format/style";
import { renderTable } from "../../../cli/format/table";
import { TimestampPrefixer } from "../../../cli/format/timestamps";
import { COMMAND_MAX_LINES, truncateCommand } from "../../../cli/format/truncate";
import { operationColumns } from "../../../cli/commands/operation-list";
import type { Operation } from "../../../cli/api-client";

describe("truncateCommand", () => {
  const lines = (n: number) => Array.from({ length: n }, (_, i) => `echo ${i + 1}`).join("\n");

  it("keeps a command of up to 24 lines whole, trimmed", () => {
    expect(COMMAND_MAX_LINES).toBe(24);
    expect(truncateCommand(`  ${lines(24)}\n`)).toBe(lines(24));
    expect(truncateCommand("echo hi")).toBe("echo hi");
  });

  it("does not count the newline a YAML block scalar ends with as a line", () => {
    expect(truncateCommand(`${lines(24)}\n\n`)).toBe(lines(24));
  });

  it("cuts a longer one after 24 lines and ends it with `# ...`", () => {
    const cut = truncateCommand(lines(30));
    expect(cut.split("\n")).toHaveLength(25);
    expect(cut).toBe(`${lines(24)}\n# ...`);
  });

  it("handles CRLF, null and a custom limit", () => {
    expect(truncateCommand("a\r\nb\r\nc", 2)).toBe("a\nb\n# ...");
    expect(truncateCommand(null)).toBe("");
    expect(truncateCommand(undefined)).toBe("");
  });
});

describe("renderTable", () => {
  it("draws Upsun's bordered table", () => {
    expect(
      renderTable(
        ["Service", "Name"],
        [
          ["storefront", "ping"],
          ["api", "drain-queue"],
        ],
      ),
    ).toBe(
      [
        "+------------+-------------+",
        "| Service    | Name        |",
        "+------------+-------------+",
        "| storefront | ping        |",
        "| api        | drain-queue |",
        "+------------+-------------+",
        "",
      ].join("\n"),
    );
  });

  it("spreads multi-line cells over lines and separates such rows", () => {
    expect(
      renderTable(
        ["A", "B"],
        [
          ["x", "1\n22"],
          ["y", "3"],
        ],
      ),
    ).toBe(
      [
        "+---+----+",
        "| A | B  |",
        "+---+----+",
        "| x | 1  |",
        "|   | 22 |",
        "+---+----+",
        "| y | 3  |",
        "+---+----+",
        "",
      ].join("\n"),
    );
  });

  it("leaves the header out on request and pads by display width", () => {
    expect(renderTable(null, [["é", "日本"]])).toBe(
      ["+---+------+", "| é | 日本 |", "+---+------+", ""].join("\n"),
    );
  });
});

describe("display width", () => {
  it("ignores ANSI escapes and counts wide characters twice", () => {
    expect(stripAnsi("\x1b[1;32mok\x1b[0m")).toBe("ok");
    expect(displayWidth("\x1b[36m[1/6]\x1b[0m")).toBe(5);
    expect(displayWidth("日本")).toBe(4);
    expect(displayWidth("e\u0301")).toBe(1);
  });
});

describe("delimited formats", () => {
  it("quotes CSV cells holding a comma, a quote or a line break; lines end with LF", () => {
    expect(
      renderDelimited(
        ["a", "b"],
        [
          ["x,y", 'say "hi"'],
          ["line1\nline2", "plain"],
        ],
        ",",
      ),
    ).toBe('a,b\n"x,y","say ""hi"""\n"line1\nline2",plain\n');
  });

  it("quotes TSV cells holding a tab", () => {
    expect(renderDelimited(null, [["a\tb", "c"]], "\t")).toBe('"a\tb"\tc\n');
  });

  it("plain never quotes, and flattens line breaks and tabs to a space", () => {
    expect(renderPlain(["h1", "h2"], [["a\n\nb", "c\td"]])).toBe("h1\th2\na b\tc d\n");
  });
});

describe("list rendering", () => {
  type Row = { id: string; n: number | null; ok: boolean };
  const spec: ListSpec<Row> = {
    columns: [
      { key: "id", header: "ID", value: (r) => r.id },
      { key: "n", header: "Number", value: (r) => r.n },
      { key: "ok", header: "OK", value: (r) => r.ok, text: (r) => (r.ok ? "yes" : "no") },
    ],
    defaults: ["id", "n"],
  };
  const rows: Row[] = [
    { id: "a", n: 1, ok: true },
    { id: "b", n: null, ok: false },
  ];

  it("validates --format", () => {
    expect(parseFormat(undefined)).toBe("table");
    expect(parseFormat("CSV")).toBe("csv");
    expect(() => parseFormat("xml")).toThrow(/invalid format "xml": use one of table, csv, tsv, plain, json/);
  });

  it("selects columns: defaults, comma lists, repeats, `+`, case, each once", () => {
    const keys = (requested?: string[]) => selectColumns(spec, requested).map((c) => c.key);
    expect(keys()).toEqual(["id", "n"]);
    expect(keys(["ok,ID"])).toEqual(["ok", "id"]);
    expect(keys(["ok", "id"])).toEqual(["ok", "id"]);
    expect(keys(["+,ok"])).toEqual(["id", "n", "ok"]);
    expect(keys(["id,id"])).toEqual(["id"]);
  });

  it("names the available columns when one is unknown", () => {
    expect(() => selectColumns(spec, ["nope"])).toThrow(/unknown column "nope"/);
    try {
      selectColumns(spec, ["nope"]);
    } catch (error) {
      expect((error as { hint?: string }).hint).toBe("available columns: id*, n*, ok (* = default)");
    }
  });

  it("renders every format", () => {
    expect(renderList(rows, spec, { format: "csv", header: true })).toBe("ID,Number\na,1\nb,\n");
    expect(renderList(rows, spec, { format: "tsv", header: false, columns: ["id,ok"] })).toBe(
      "a\tyes\nb\tno\n",
    );
    expect(renderList(rows, spec, { format: "plain", header: true, columns: ["ok"] })).toBe("OK\nyes\nno\n");
    expect(renderList(rows, spec, { format: "table", header: true })).toContain("| a  | 1      |");
  });

  it("JSON: the whole objects by default, typed column values with --columns", () => {
    const whole = JSON.parse(renderList(rows, spec, { format: "json", header: true, json: (r) => r }));
    expect(whole).toEqual(rows);
    const picked = JSON.parse(renderList(rows, spec, { format: "json", header: true, columns: ["id,ok,n"] }));
    expect(picked).toEqual([
      { id: "a", ok: true, n: 1 },
      { id: "b", ok: false, n: null },
    ]);
  });
});

describe("operation:list columns", () => {
  const long = Array.from({ length: 30 }, (_, i) => `echo ${i}`).join("\n");
  const op: Operation = {
    service: "api--queue",
    app: "api",
    worker: "queue",
    name: "drain-queue",
    role: "admin",
    start: long,
    stop: null,
    timeout: null,
    canRun: false,
    reason: "requires admin",
  };

  it("are service, name, start, role and stop by default, and cut long commands unless full", () => {
    const csv = renderList([op], operationColumns(false), { format: "csv", header: true });
    const [header, ...body] = csv.split("\n");
    expect(header).toBe("Service,Operation name,Start command,Role,Stop command");
    expect(body.join("\n")).toContain("echo 23\n# ...");
    expect(body.join("\n")).not.toContain("echo 24");
    const full = renderList([op], operationColumns(true), { format: "csv", header: false });
    expect(full).toContain("echo 29");
    expect(full).not.toContain("# ...");
  });

  it("show whether the caller may run it", () => {
    expect(
      renderList([op], operationColumns(false), {
        format: "plain",
        header: false,
        columns: ["name,runnable,reason"],
      }),
    ).toBe("drain-queue\tno\trequires admin\n");
  });
});

describe("TimestampPrefixer", () => {
  it("prefixes each line with the time of the chunk in which it started", () => {
    const t = new TimestampPrefixer((at) => `[${at}] `);
    expect(t.transform("one\ntw", "T1")).toBe("[T1] one\n[T1] tw");
    expect(t.transform("o\nthree\n", "T2")).toBe("o\n[T2] three\n");
    expect(t.transform("", "T3")).toBe("");
    expect(t.transform("four", "T4")).toBe("[T4] four");
  });
});
