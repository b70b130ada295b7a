import { endpoints, projectRoleSchema } from "@/lib/api/schemas";
import { apiRoute } from "@/lib/http/api-route";
import { listProjects } from "@/lib/projects/list-projects";

export const GET = apiRoute(endpoints.projects, async ({ db, actor, reply }) => {
  const projects = await listProjects(db, actor);
  return reply(200, {
    projects: projects.map((p) => ({
      slug: p.slug,
      name: p.name,
      role: projectRoleSchema.parse(p.projectRole),
    })),
  });
});
