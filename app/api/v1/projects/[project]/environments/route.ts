import { environmentTypeSchema } from "@/lib/access/roles";
import { endpoints, environmentStatusSchema } from "@/lib/api/schemas";
import { apiRoute } from "@/lib/http/api-route";
import { getProject } from "@/lib/projects/get-project";

/** The environments of a project that the caller has a role on. */
export const GET = apiRoute(endpoints.environments, async ({ db, actor, params, reply }) => {
  const data = await getProject(db, actor, params.project);
  return reply(200, {
    // getProject lists only environments the caller has a role on; flatMap tells the types so.
    environments: data.environments.flatMap(({ name, type, status, role }) =>
      role === null
        ? []
        : [
            {
              name,
              type: environmentTypeSchema.parse(type),
              status: environmentStatusSchema.parse(status),
              role,
            },
          ],
    ),
  });
});
