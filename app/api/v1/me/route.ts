import { apiRoute } from "@/lib/http/api-route";

/** Who the token (or session) belongs to: what `runops auth:login` checks. */
export const GET = apiRoute({}, async ({ actor }) =>
  Response.json({ user: { id: actor.userId, email: actor.email, name: actor.name } }),
);
