import { requireActor } from "@/lib/auth/current-actor";
import { handleErrors } from "@/lib/http/json-route";

/** Who the token (or session) belongs to: what `runops auth:login` checks. */
export async function GET() {
  return handleErrors(async () => {
    const actor = await requireActor();
    return Response.json({ user: { id: actor.userId, email: actor.email, name: actor.name } });
  });
}
