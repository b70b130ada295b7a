import { apiRoute, pathParams } from "@/lib/http/api-route";
import { getProject } from "@/lib/projects/get-project";

/** The environments of a project that the caller has a role on. */
export const GET = apiRoute({ params: pathParams("project") }, async ({ db, actor, params }) => {
  const data = await getProject(db, actor, params.project);
  return Response.json({
    environments: data.environments.map((e) => ({
      name: e.name,
      type: e.type,
      status: e.status,
      role: e.role,
    })),
  });
});
