import { publicRoute } from "@/lib/http/api-route";

export const dynamic = "force-dynamic";

/**
 * The console's health for load balancers and monitors: 200 when the database
 * answers, 503 otherwise. No sign-in, and nothing about the installation.
 */
export const GET = publicRoute({}, async ({ db }) => {
  try {
    await db.$queryRawUnsafe("SELECT 1");
    return Response.json({ ok: true, database: "reachable" });
  } catch {
    return Response.json({ ok: false, database: "unreachable" }, { status: 503 });
  }
});
