import { endpoints } from "@/lib/api/schemas";
import { apiRoute } from "@/lib/http/api-route";

/** Who the token (or session) belongs to: what `runops auth:login` checks. */
export const GET = apiRoute(endpoints.me, async ({ actor, reply }) =>
  reply(200, { user: { id: actor.userId, email: actor.email, name: actor.name } }),
);
