import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { expect, test } from "vitest";
import { endpoints } from "../../../lib/api/schemas";

const root = path.resolve(import.meta.dirname, "../../..");
const apiDir = path.join(root, "app/api/v1");

function routeFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) return routeFiles(file);
    return entry.name === "route.ts" ? [file] : [];
  });
}

/**
 * Each handler under app/api/v1 is built from the endpoint of its own method
 * and path, and every endpoint has its handler: what the OpenAPI document and
 * the contract check describe is what is served, route for route.
 */
test("every /api/v1 route handler is built from its endpoint's contract, and every endpoint is served", () => {
  const served: string[] = [];
  for (const file of routeFiles(apiDir)) {
    const urlPath = `/${path.relative(apiDir, path.dirname(file))}`.replace(/\[(\w+)\]/g, "{$1}");
    const source = readFileSync(file, "utf8");
    const handlers = [
      ...source.matchAll(/export const (GET|POST|PUT|PATCH|DELETE) = (\w+)\(\s*endpoints\.(\w+)/g),
    ];
    const methods = [...source.matchAll(/export const (GET|POST|PUT|PATCH|DELETE)\b/g)].map((m) => m[1]);
    expect(
      handlers.map((h) => h[1]),
      `${urlPath}: every handler names its endpoint`,
    ).toEqual(methods);
    for (const [, method, , name] of handlers) {
      const endpoint = Object.entries(endpoints).find(([key]) => key === name)?.[1];
      expect(endpoint, `${method} ${urlPath} uses endpoints.${name}`).toBeDefined();
      expect(`${endpoint?.method} ${endpoint?.path}`).toBe(`${method} ${urlPath}`);
      served.push(`${method} ${urlPath}`);
    }
  }
  expect(served.sort()).toEqual(
    Object.values(endpoints)
      .map((e) => `${e.method} ${e.path}`)
      .sort(),
  );
});
