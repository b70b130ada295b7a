import { openApiDocument } from "@/lib/api/openapi";
import { publicRoute } from "@/lib/http/api-route";
import { publicBaseUrl } from "@/lib/http/public-url";

/** Public: the API's description, generated from the same zod schemas the routes use. */
export const GET = publicRoute({}, async ({ req }) => Response.json(openApiDocument(publicBaseUrl(req))));
