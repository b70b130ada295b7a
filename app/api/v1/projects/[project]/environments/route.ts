import { requireActor } from "@/lib/auth/current-actor";
import { getDb } from "@/lib/db/client";
import { handleErrors } from "@/lib/http/json-route";
import { getProject } from "@/lib/projects/get-project";

/** The environments of a project that the caller has a role on. */
export async function GET(_req: Request, ctx: RouteContext<"/api/v1/projects/[project]/environments">) {
  return handleErrors(async () => {
    const { project } = await ctx.params;
    const data = await getProject(getDb(), await requireActor(), project);
    return Response.json({
      environments: data.environments.map((e) => ({
        name: e.name,
        type: e.type,
        status: e.status,
        role: e.role,
      })),
    });
  });
}
