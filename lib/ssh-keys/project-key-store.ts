// ssh2 is CommonJS whose `utils` Node's ESM loader cannot see as a named export (scripts/start.ts
// under tsx failed at import): its default export is module.exports.
import ssh2 from "ssh2";
import type { Db } from "../db/client";
import { serverEnv } from "../env";
import { newId } from "../ids";
import { publicKeyFingerprint } from "../ssh/fingerprint";
import { seal, unseal } from "./seal";
import { serverKey } from "./server-key";

export type ProjectKeyStatus = "active" | "next";

/** A project key as an admin sees it: the private half never leaves the server. */
export type ProjectKeyView = {
  status: ProjectKeyStatus;
  publicKey: string;
  fingerprint: string;
  createdAt: Date;
};

const sealContext = (projectId: string, keyId: string) => `runops-project-key:${projectId}:${keyId}`;

/** A new ed25519 pair for the project, its private half sealed with the server key. */
export async function insertProjectKey(
  db: Db,
  project: { id: string; slug: string },
  status: ProjectKeyStatus,
): Promise<ProjectKeyView> {
  const pair = ssh2.utils.generateKeyPairSync("ed25519", { comment: `runops@${project.slug}` });
  const id = newId();
  const publicKey = pair.public.trim();
  const row = await db.projectKey.create({
    data: {
      id,
      projectId: project.id,
      status,
      publicKey,
      fingerprint: publicKeyFingerprint(publicKey),
      privateKey: seal(pair.private, serverKey(serverEnv()), sealContext(project.id, id)),
    },
  });
  return toView(row);
}

export async function listProjectKeys(db: Db, projectId: string): Promise<ProjectKeyView[]> {
  const rows = await db.projectKey.findMany({ where: { projectId }, orderBy: { createdAt: "asc" } });
  return rows.map(toView);
}

/**
 * The project's private keys in the order a connection offers them: during a
 * rotation the next key first (hosts that have it already), then the active one.
 */
export async function projectPrivateKeys(db: Db, projectId: string): Promise<string[]> {
  const rows = await db.projectKey.findMany({ where: { projectId } });
  const key = serverKey(serverEnv());
  return rows
    .sort((a, b) => (a.status === b.status ? 0 : a.status === "next" ? -1 : 1))
    .map((row) => unseal(row.privateKey, key, sealContext(projectId, row.id)));
}

function toView(row: { status: string; publicKey: string; fingerprint: string; createdAt: Date }) {
  return {
    status: row.status === "next" ? "next" : "active",
    publicKey: row.publicKey,
    fingerprint: row.fingerprint,
    createdAt: row.createdAt,
  } satisfies ProjectKeyView;
}
