import { openApiDocument } from "@/lib/api/openapi";
import { publicBaseUrl } from "@/lib/http/public-url";

/** Public: the API's description, generated from the same zod schemas the routes use. */
export function GET(req: Request) {
  return Response.json(openApiDocument(publicBaseUrl(req)));
}
