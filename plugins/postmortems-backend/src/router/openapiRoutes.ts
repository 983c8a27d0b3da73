import Router from 'express-promise-router';
import { createOpenApiDocument } from './openapi';

/** `GET /openapi.json`: the OpenAPI 3.1 document of the native API. */
export function openApiRoutes() {
  const router = Router();
  // Made once, on first request: it depends on nothing but the schemas.
  let document: Record<string, unknown> | undefined;
  router.get('/openapi.json', async (_req, res) => {
    document ??= createOpenApiDocument();
    res.json(document);
  });
  return router;
}
