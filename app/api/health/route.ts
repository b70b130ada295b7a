import { healthEndpoint } from "@/lib/api/schemas";
import { publicRoute } from "@/lib/http/api-route";

export const dynamic = "force-dynamic";

/**
 * The console's health for load balancers and monitors: 200 when the database
 * answers, 503 otherwise. No sign-in, and nothing about the installation.
 */
export const GET = publicRoute(healthEndpoint, async ({ db, reply }) => {
  try {
    await db.$queryRawUnsafe("SELECT 1");
    return reply(200, { ok: true, database: "reachable" });
  } catch {
    return reply(503, { ok: false, database: "unreachable" });
  }
});
