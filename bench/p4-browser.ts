/**
 * P4 — a 1,000,000-line log opened in Chromium (Playwright, Debian's /usr/bin/chromium).
 * Goal: the tail visible ≤ 1 s after navigation; scrolling to the top and back works; JS heap
 * ≤ 300 MB.
 *
 * A run prints 1,000,000 coloured lines (84 MB) and completes; then, signed in as the demo admin,
 * each repetition opens /runs/{id} in a fresh browser context and measures, inside the page, the
 * time from navigation start (performance.now()) to the first animation frame in which the log
 * region (role "log", name "Run log") shows line 1,000,000 (`data-line="1000000"`) within its
 * visible area. It then scrolls the log's scroll container to the top (line 1 must show) and
 * back to the end (line 1,000,000 again). The JS heap is sampled (CDP Performance.getMetrics,
 * JSHeapUsedSize) every 250 ms during the load, and measured after a forced GC once the tail
 * shows and after the scroll round trip; the goal applies to the heap after GC (what the page
 * keeps), the peak is reported too. Only observable behaviour is used, so it measures whichever
 * log viewer the console has.
 *
 * The same again with wrap on: in a 600 px wide window (where these lines wrap to two rows) the
 * log's Wrap checkbox is checked as soon as the tail shows, and the tail time is the first frame,
 * counted from navigation, in which Wrap is checked and line 1,000,000 is in view; then the top
 * and back with wrap on.
 */
import { type Browser, type Page, chromium } from "@playwright/test";
import { createFixture } from "./support/fixture";
import { ADMIN_EMAIL, DEMO_PASSWORD } from "./support/fixture";
import { Api } from "./support/http";
import { runStandalone } from "./support/runner";
import { startServer } from "./support/server";
import { mb, ms, summarize } from "./support/stats";
import { type BenchContext, type Benchmark, verdict } from "./support/types";

const LINES = 1_000_000;
const COMMAND =
  `awk 'BEGIN { for (i = 1; i <= ${LINES}; i++) printf "\\033[32mline %07d\\033[0m lorem ipsum dolor sit amet, ` +
  `consectetur adipiscing elit %05d\\n", i, i * 7919 % 100000 }'`;
const STEP_TIMEOUT_MS = 120_000;
const HEAP_LIMIT = 300e6;

const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/**
 * In the page: ms since navigation start at the first frame where line `n` is inside the log's
 * visible area and shows `text`. Polled every animation frame by waitForFunction.
 */
function lineShownAt([n, text, wrapped]: [number, string, boolean]): number | false {
  if (wrapped) {
    const label = [...document.querySelectorAll("label")].find((l) => l.textContent?.trim() === "Wrap");
    const box =
      label?.querySelector("input") ?? (label?.htmlFor ? document.getElementById(label.htmlFor) : null);
    if (!(box instanceof HTMLInputElement) || !box.checked) return false;
  }
  const logs = [...document.querySelectorAll<HTMLElement>('[role="log"]')];
  const log =
    logs.find((el) => el.getAttribute("aria-label") === "Run log") ??
    logs.find((el) => {
      const ids = el.getAttribute("aria-labelledby")?.split(/\s+/) ?? [];
      return ids.map((id) => document.getElementById(id)?.textContent?.trim()).join(" ") === "Run log";
    });
  if (!log) return false;
  const line = log.querySelector<HTMLElement>(`[data-line="${n}"]`);
  if (!line || !(line.textContent ?? "").includes(text)) return false;
  const r = line.getBoundingClientRect();
  if (r.height === 0) return false;
  // Inside every clipping ancestor up to the log, and inside the window.
  let clip = { top: 0, bottom: window.innerHeight };
  for (let el: HTMLElement | null = line.parentElement; el; el = el.parentElement) {
    const style = getComputedStyle(el);
    if (/(auto|scroll|hidden|clip)/.test(style.overflowY)) {
      const c = el.getBoundingClientRect();
      clip = { top: Math.max(clip.top, c.top), bottom: Math.min(clip.bottom, c.bottom) };
    }
    if (el === log.parentElement) break;
  }
  const visible = Math.min(r.bottom, clip.bottom) - Math.max(r.top, clip.top);
  return visible >= r.height / 2 ? performance.now() : false;
}

/** In the page: scrolls the log's scroll container to the top or the end; returns its scrollHeight. */
function scrollLog(to: "top" | "end"): number {
  const log =
    document.querySelector<HTMLElement>('[role="log"][aria-label="Run log"]') ??
    document.querySelector<HTMLElement>('[role="log"]');
  if (!log) throw new Error("no log region");
  const scrollable = (el: HTMLElement) =>
    el.scrollHeight > el.clientHeight + 1 && /(auto|scroll|overlay)/.test(getComputedStyle(el).overflowY);
  let scroller: HTMLElement | null = scrollable(log) ? log : null;
  scroller ??= [...log.querySelectorAll<HTMLElement>("*")].find(scrollable) ?? null;
  for (let el = log.parentElement; !scroller && el; el = el.parentElement) if (scrollable(el)) scroller = el;
  const target = scroller ?? (document.scrollingElement as HTMLElement);
  target.scrollTop = to === "top" ? 0 : target.scrollHeight;
  return target.scrollHeight;
}

const lineText = (n: number) => `line ${String(n).padStart(7, "0")}`;

async function heapAfterGc(page: Page): Promise<number> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("HeapProfiler.collectGarbage");
  await cdp.send("Performance.enable");
  const { metrics } = await cdp.send("Performance.getMetrics");
  await cdp.detach();
  return metrics.find((m) => m.name === "JSHeapUsedSize")?.value ?? NaN;
}

/** In the page: the document's timings and the API requests made so far (what the tail waited for). */
function pageTimings(): {
  document: Record<string, number>;
  api: Array<{ path: string; start: number; ms: number }>;
} {
  const nav = performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming | undefined;
  const api = (performance.getEntriesByType("resource") as PerformanceResourceTiming[])
    .filter((r) => r.name.includes("/api/"))
    .map((r) => ({
      path: new URL(r.name).pathname + new URL(r.name).search,
      start: Math.round(r.startTime),
      ms: Math.round(r.duration),
    }));
  return {
    document: nav
      ? {
          responseStart: Math.round(nav.responseStart),
          responseEnd: Math.round(nav.responseEnd),
          domContentLoaded: Math.round(nav.domContentLoadedEventEnd),
          load: Math.round(nav.loadEventEnd),
        }
      : {},
    api,
  };
}

interface Load {
  tailMs: number | null;
  /** Where the time to the tail went (document, API requests), from the page's own timings. */
  timings?: ReturnType<typeof pageTimings>;
  topMs: number | null;
  backMs: number | null;
  peakHeap: number;
  heapAtTail: number;
  heapAfterScroll: number;
  error?: string;
}

async function openOnce(
  browser: Browser,
  baseUrl: string,
  state: string,
  runId: string,
  wrap: boolean,
): Promise<Load> {
  const context = await browser.newContext({
    baseURL: baseUrl,
    storageState: JSON.parse(state) as Parameters<Browser["newContext"]>[0] extends infer O
      ? O extends { storageState?: infer S }
        ? S
        : never
      : never,
    viewport: { width: wrap ? 600 : 1280, height: 900 },
  });
  // tsx (esbuild, keepNames) wraps named functions in __name(): functions evaluated in the page need it.
  await context.addInitScript({ content: "globalThis.__name = (f) => f;" });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send("Performance.enable");
  let peakHeap = 0;
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      try {
        const { metrics } = await cdp.send("Performance.getMetrics");
        peakHeap = Math.max(peakHeap, metrics.find((m) => m.name === "JSHeapUsedSize")?.value ?? 0);
      } catch {
        // page navigating
      }
      await new Promise((r) => setTimeout(r, 250));
    }
  })();
  const load: Load = {
    tailMs: null,
    topMs: null,
    backMs: null,
    peakHeap: 0,
    heapAtTail: NaN,
    heapAfterScroll: NaN,
  };
  try {
    await page.goto(`/runs/${runId}`, { waitUntil: "commit" });
    const wait = (n: number) =>
      page
        .waitForFunction(lineShownAt, [n, lineText(n), wrap] as [number, string, boolean], {
          polling: "raf",
          timeout: STEP_TIMEOUT_MS,
        })
        .then((h) => h.jsonValue() as Promise<number>);
    if (wrap) {
      await page
        .waitForFunction(lineShownAt, [LINES, lineText(LINES), false] as [number, string, boolean], {
          polling: "raf",
          timeout: STEP_TIMEOUT_MS,
        })
        .then((h) => h.dispose());
      await page.getByLabel("Wrap").check();
    }
    load.tailMs = await wait(LINES);
    load.timings = await page.evaluate(pageTimings);
    load.heapAtTail = await heapAfterGc(page);

    let t0 = (await page.evaluate(() => performance.now())) as number;
    await page.evaluate(scrollLog, "top" as const);
    load.topMs = (await wait(1)) - t0;
    t0 = (await page.evaluate(() => performance.now())) as number;
    await page.evaluate(scrollLog, "end" as const);
    load.backMs = (await wait(LINES)) - t0;
    load.heapAfterScroll = await heapAfterGc(page);
  } catch (error) {
    load.error = error instanceof Error ? error.message.split("\n")[0] : String(error);
  } finally {
    sampling = false;
    await sampler;
    load.peakHeap = peakHeap;
    await context.close();
  }
  return load;
}

export const p4: Benchmark = {
  id: "p4",
  title: "a 1,000,000-line log opened in Chromium",
  async run(ctx: BenchContext) {
    const server = await startServer({ source: ctx.source, name: "p4", cpuProfileDir: ctx.cpuProfileDir });
    const fx = await createFixture(server, ctx.source, { "million-lines": COMMAND });
    const api = new Api(server.url, fx.token);
    let browser: Browser | null = null;
    try {
      const run = await api.trigger(fx.project, "main", "million-lines");
      const done = await api.waitForEnd(run.id, { everyMs: 250 });
      if (done.result !== "success") throw new Error(`the log-producing run failed: ${done.reason}`);
      ctx.log(`run ${run.id} stored ${(done.logBytes / 1e6).toFixed(0)} MB`);

      browser = await chromium.launch({
        executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
        args: CHROMIUM_ARGS,
      });
      const signin = await browser.newContext({ baseURL: server.url });
      const page = await signin.newPage();
      await page.goto("/signin");
      await page.getByLabel("Email").fill(ADMIN_EMAIL);
      await page.getByLabel("Password").fill(DEMO_PASSWORD);
      await page.getByRole("button", { name: "Sign in" }).click();
      await page.getByRole("heading", { name: "Projects" }).waitFor({ timeout: 30_000 });
      const state = JSON.stringify(await signin.storageState());
      await signin.close();

      const reps = ctx.quick ? 1 : 3;
      const rows = [];
      const data: Record<string, { loads: Load[]; tail: ReturnType<typeof summarize> }> = {};
      for (const wrap of [false, true]) {
        const mode = wrap ? "wrap on" : "wrap off";
        const loads: Load[] = [];
        for (let i = 0; i < reps; i++) {
          const load = await openOnce(browser, server.url, state, run.id, wrap);
          loads.push(load);
          ctx.log(
            `${mode}, load ${i + 1}: tail ${load.tailMs === null ? "not shown" : ms(load.tailMs)}, top ${
              load.topMs === null ? "—" : ms(load.topMs)
            }, back ${load.backMs === null ? "—" : ms(load.backMs)}, heap peak ${mb(load.peakHeap)}, ` +
              `after GC ${mb(load.heapAtTail)} / ${mb(load.heapAfterScroll)}${load.error ? ` — ${load.error}` : ""}`,
          );
          if (load.timings) {
            const d = load.timings.document;
            const calls = load.timings.api
              .map((a) => `${a.path} at ${a.start} ms took ${a.ms} ms`)
              .join("; ");
            ctx.log(
              `  document: first byte ${d.responseStart} ms, DOMContentLoaded ${d.domContentLoaded} ms; ${calls}`,
            );
          }
          if (load.tailMs === null) break; // a viewer that never shows the tail is not worth three minutes more
        }
        const shown = loads.filter((l) => l.tailMs !== null);
        const tail = summarize(shown.map((l) => l.tailMs as number));
        const scrolled = loads.every((l) => l.topMs !== null && l.backMs !== null);
        const kept = Math.max(...loads.map((l) => Math.max(l.heapAtTail || 0, l.heapAfterScroll || 0)));
        const peak = Math.max(...loads.map((l) => l.peakHeap));
        const allShown = shown.length === loads.length;
        const suffix = wrap ? ", wrap on (600 px wide, lines wrap)" : "";
        rows.push(
          {
            id: "P4",
            measure: `1M-line log: tail visible after navigation${suffix}, median (n=${loads.length})`,
            runops: allShown ? ms(tail.median) : `not within ${STEP_TIMEOUT_MS / 1000} s`,
            baseline: "—",
            goal: "goal ≤ 1 s",
            verdict: verdict(allShown && tail.median <= 1000),
          },
          {
            id: "P4",
            measure: `scroll to the top (line 1) and back to the end${suffix}`,
            runops: scrolled
              ? `${ms(Math.max(...loads.map((l) => l.topMs ?? 0)))} / ${ms(Math.max(...loads.map((l) => l.backMs ?? 0)))}`
              : "failed",
            baseline: "—",
            goal: "works",
            verdict: verdict(scrolled),
          },
          {
            id: "P4",
            measure: `JS heap after GC (peak while loading)${suffix}`,
            runops: `${mb(kept)} (${mb(peak)})`,
            baseline: "—",
            goal: "goal ≤ 300 MB",
            verdict: verdict(Number.isFinite(kept) && kept > 0 && kept <= HEAP_LIMIT),
          },
        );
        data[wrap ? "wrapOn" : "wrapOff"] = { loads, tail };
      }
      return {
        rows,
        data: { lines: LINES, logBytes: done.logBytes, ...data },
      };
    } finally {
      await browser?.close();
      api.close();
      await fx.close();
      await server.stop();
    }
  },
};

runStandalone(p4, import.meta.url);
