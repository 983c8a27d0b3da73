import { HttpAuthService } from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import { Request } from 'express';
import { PostmortemAccess } from '../services/PostmortemAccess';
import { RouteContext } from '../router/context';

/*
 * Who calls the dialect. Scripts send a Backstage token (`Authorization:
 * Bearer`, a user's or a static external-access token), exactly as for the
 * native API. Regen's browser UI sends no token: it relies on a cookie. The
 * dialect accepts Backstage's own user cookie (`backstage-auth`, issued by
 * `GET /api/postmortems/.backstage/auth/v1/cookie` to a signed-in user), and
 * the plugin allows it on the dialect's paths only.
 *
 * A cookie is sent by the browser on its own, so a write authenticated by
 * it must come from a script the Backstage CORS policy let in: Regen's client
 * always sends `Content-Type: application/json`, which a cross-site form or
 * a simple request cannot, and which makes a browser ask CORS first.
 */

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function regenRouteContext(
  httpAuth: HttpAuthService,
  access: PostmortemAccess,
): RouteContext {
  return {
    credentials: async (req: Request) => {
      const credentials = await httpAuth.credentials(req, {
        allow: ['user', 'service'],
        allowLimitedAccess: true,
      });
      if (!SAFE_METHODS.has(req.method) && !hasBearerToken(req)) {
        assertScriptedWrite(req);
      }
      return credentials;
    },
    access,
  };
}

function hasBearerToken(req: Request): boolean {
  return /^Bearer\s+\S+/i.test(req.header('authorization') ?? '');
}

function assertScriptedWrite(req: Request) {
  const contentType = req.header('content-type') ?? '';
  if (!/^application\/json\b/i.test(contentType)) {
    throw new NotAllowedError(
      'A write authenticated by the Backstage cookie must be sent with Content-Type: application/json',
    );
  }
}
