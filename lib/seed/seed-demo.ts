import path from "node:path";
import { hashPassword } from "../auth/password";
import type { Db } from "../db/client";
import { deployEnvironment } from "../deployments/deploy-environment";
import { newId } from "../ids";

export const DEMO_PASSWORD = "runops-demo";
export const DEMO_USERS = [
  { email: "admin@example.com", name: "Ada Admin", note: "project admin, instance admin" },
  {
    email: "dev@example.com",
    name: "Dev Contributor",
    note: "contributor on staging and development, viewer on production",
  },
  { email: "viewer@example.com", name: "Vic Viewer", note: "viewer everywhere" },
] as const;

/**
 * The demo: project "shop" with three environments whose target is
 * examples/shop, and the three demo users. Idempotent: does nothing when the
 * project exists.
 */
export async function seedDemo(db: Db, root = process.cwd()): Promise<boolean> {
  if (await db.project.findUnique({ where: { slug: "shop" } })) return false;
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const ids: Record<string, string> = {};
  for (const u of DEMO_USERS) {
    const existing = await db.user.findUnique({ where: { email: u.email } });
    ids[u.email] =
      existing?.id ??
      (
        await db.user.create({
          // The demo's admin also administers the instance, so the demo shows the admin pages too.
          data: {
            id: newId(),
            email: u.email,
            name: u.name,
            passwordHash,
            isAdmin: u.email === "admin@example.com",
          },
        })
      ).id;
  }
  const project = await db.project.create({ data: { id: newId(), slug: "shop", name: "Demo Shop" } });
  const member = (email: string, data: Record<string, string | null>) => ({
    id: newId(),
    projectId: project.id,
    userId: ids[email] as string,
    projectRole: "viewer",
    ...data,
  });
  await db.membership.createMany({
    data: [
      member("admin@example.com", { projectRole: "admin" }),
      member("dev@example.com", {
        productionRole: "viewer",
        stagingRole: "contributor",
        developmentRole: "contributor",
      }),
      member("viewer@example.com", {
        productionRole: "viewer",
        stagingRole: "viewer",
        developmentRole: "viewer",
      }),
    ],
  });
  const target = path.resolve(root, "examples/shop");
  for (const [name, type] of [
    ["main", "production"],
    ["staging", "staging"],
    ["feature-search", "development"],
  ] as const) {
    const env = await db.environment.create({
      data: { id: newId(), projectId: project.id, name, type, targetPath: target },
    });
    const result = await deployEnvironment(db, env.id, ids["admin@example.com"] ?? null);
    if (!result.ok) throw new Error(`The demo config does not load:\n${result.error}`);
  }
  return true;
}
