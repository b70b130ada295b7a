import { limitIssues } from "./order-issues";
import { listApplications } from "./list-applications";
import { loadYamlDocument } from "./load-yaml-document";
import type { ConfigResult } from "./types";
import { validateApplications } from "./validate-applications";

/**
 * Parses one Upsun config file's text into runops' model. Pure (no I/O), never throws:
 * syntax errors, oversized input and alias bombs come back as issues with positions.
 */
export function parseConfig(text: string, file = ".upsun/config.yaml"): ConfigResult {
  const loaded = loadYamlDocument(text, file);
  if (!loaded.ok) return loaded;
  const { apps, issues } = listApplications(loaded.yaml);
  const result = validateApplications(apps);
  if (issues.length === 0 && result.ok) return result;
  return { ok: false, issues: limitIssues([...issues, ...(result.ok ? [] : result.issues)]) };
}
