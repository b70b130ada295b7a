import { requireActor } from "@/lib/auth/current-actor";
import { getDb } from "@/lib/db/client";
import { handleErrors } from "@/lib/http/json-route";
import { listProjects } from "@/lib/projects/list-projects";

export async function GET() {
  return handleErrors(async () => {
    const projects = await listProjects(getDb(), await requireActor());
    return Response.json({
      projects: projects.map((p) => ({ slug: p.slug, name: p.name, role: p.projectRole })),
    });
  });
}
