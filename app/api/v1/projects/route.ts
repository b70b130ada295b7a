import { apiRoute } from "@/lib/http/api-route";
import { listProjects } from "@/lib/projects/list-projects";

export const GET = apiRoute({}, async ({ db, actor }) => {
  const projects = await listProjects(db, actor);
  return Response.json({
    projects: projects.map((p) => ({ slug: p.slug, name: p.name, role: p.projectRole })),
  });
});
