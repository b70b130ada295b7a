// Renders content/*.md into public/*.html, printing progress as it goes.
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";

const wait = (ms) => new Promise((r) => setTimeout(r, ms));
const escape = (s) =>
  s.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]);

const title = process.env.SITE_TITLE ?? "Site";
await mkdir("public", { recursive: true });
const pages = (await readdir("content")).filter((f) => f.endsWith(".md")).sort();
for (const [i, file] of pages.entries()) {
  const text = await readFile(path.join("content", file), "utf8");
  const [heading, ...body] = text.split("\n");
  const html = `<!doctype html><title>${escape(title)}</title><h1>${escape(heading.replace(/^#\s*/, ""))}</h1>${body
    .filter(Boolean)
    .map((p) => `<p>${escape(p)}</p>`)
    .join("")}`;
  await writeFile(path.join("public", file.replace(/\.md$/, ".html")), html);
  console.log(`\x1b[36m[${i + 1}/${pages.length}]\x1b[0m built ${file.replace(/\.md$/, ".html")}`);
  await wait(500);
}
console.log(`\x1b[1;32m✔ ${pages.length} pages written to public/\x1b[0m`);
