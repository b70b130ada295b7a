import { openApiDocument } from "@/lib/api/openapi";
import { endpoints } from "@/lib/api/schemas";
import { publicRoute } from "@/lib/http/api-route";
import { publicBaseUrl } from "@/lib/http/public-url";

/** Public: the API's description, generated from the same zod schemas the routes use. */
export const GET = publicRoute(endpoints.openApi, async ({ req, reply }) =>
  reply(200, openApiDocument(publicBaseUrl(req))),
);
