import path from "node:path";
import { readConfig } from "../config/read-config";
import { type TargetFiles, localFiles } from "../config/target-files";
import { resolveInsideTarget } from "../executor/inside-target";
import { type ConfigWarning, formatConfigIssue, formatConfigWarning } from "../config/types";
import type { ParsedConfig } from "../config/types";
import type { Db } from "../db/client";
import { notFound } from "../errors";
import { newId } from "../ids";
import { storedConfig } from "./deployment-config";
import { SshError } from "../ssh/connect";
import { withTargetFiles } from "../ssh/open-target-files";

export type DeployResult =
  | { ok: true; deploymentId: string; config: ParsedConfig; warnings: ConfigWarning[] }
  | { ok: false; deploymentId: string; error: string };

/**
 * Reads the environment's config from its target (a local directory, or over
 * SFTP from an SSH host) into a new Deployment. An invalid config, or a target
 * that cannot be reached, is recorded as a failed attempt and the current
 * deployment stays as it was: operations always come from the last good snapshot.
 * Warnings (keys set twice) never refuse a config: they are stored with it, or follow the
 * errors of a refused one.
 */
export async function deployEnvironment(
  db: Db,
  environmentId: string,
  byUserId: string | null,
): Promise<DeployResult> {
  const env = await db.environment.findUnique({ where: { id: environmentId } });
  if (!env) throw notFound("environment");
  const id = newId();
  const read = await readTarget(db, env);
  if (!read.ok) {
    await db.deployment.create({
      data: { id, environmentId, ok: false, error: read.error, createdById: byUserId },
    });
    return { ok: false, deploymentId: id, error: read.error };
  }
  const { config, warnings } = read;
  const stored = JSON.stringify(storedConfig(config, warnings));
  await db.$transaction([
    db.deployment.create({ data: { id, environmentId, ok: true, config: stored, createdById: byUserId } }),
    db.environment.update({ where: { id: environmentId }, data: { currentDeploymentId: id } }),
  ]);
  return { ok: true, deploymentId: id, config, warnings };
}

type TargetRead =
  { ok: true; config: ParsedConfig; warnings: ConfigWarning[] } | { ok: false; error: string };

/** The refusal as people read it: the errors, then the warnings (a key set twice may explain one). */
function refusal(lines: readonly string[], warnings: readonly ConfigWarning[]): string {
  return [...lines, ...warnings.map((w) => `warning: ${formatConfigWarning(w)}`)].join("\n");
}

/** The config, or why it was refused: its issues, an app outside the target, an SSH host out of reach. */
async function readTarget(
  db: Db,
  env: {
    projectId: string;
    targetKind: string;
    targetHost: string | null;
    targetHostKey: string | null;
    targetPath: string;
  },
): Promise<TargetRead> {
  const read = async (files: TargetFiles): Promise<TargetRead> => {
    const result = await readConfig(env.targetPath, files);
    if (!result.ok) {
      return { ok: false, error: refusal(result.issues.map(formatConfigIssue), result.warnings) };
    }
    const escapes = await appsOutsideTarget(files, env.targetPath, result.config);
    return escapes.length > 0 ? { ok: false, error: refusal(escapes, result.warnings) } : result;
  };
  if (env.targetKind !== "ssh") return read(localFiles);
  try {
    return await withTargetFiles(db, env, read);
  } catch (error) {
    if (error instanceof SshError) return { ok: false, error: error.message };
    throw error;
  }
}

/** Apps whose directory (a symlink in `source.root`) leads outside the target: the deploy is refused. */
async function appsOutsideTarget(
  files: TargetFiles,
  target: string,
  config: ParsedConfig,
): Promise<string[]> {
  const refusals: string[] = [];
  for (const app of config.apps) {
    const dir = path.resolve(target, app.sourceRoot);
    const inside = await resolveInsideTarget(target, dir, files.realpath);
    // A directory that does not exist yet is the run's error to report, not the deploy's.
    if (!inside.ok && !inside.reason.includes("does not exist")) {
      refusals.push(`applications.${app.name}.source.root: ${inside.reason}`);
    }
  }
  return refusals;
}
